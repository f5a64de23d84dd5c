import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Node's implementation of the `#inflate` subpath import (package.json "imports"), from source.
  resolve: { alias: { '#inflate': new URL('./src/sections/inflate-node.ts', import.meta.url).pathname } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
