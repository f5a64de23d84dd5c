import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { HANG_MS, TEST_HANG_MS } from './test/support/hang.js';

export default defineConfig({
  // Node's implementations of the `#inflate` and `#spdx-lists` subpath imports (package.json
  // "imports"), from source.
  resolve: {
    alias: {
      '#inflate': new URL('./src/sections/inflate-node.ts', import.meta.url).pathname,
      '#spdx-lists': new URL('./src/values/spdx-lists-node.ts', import.meta.url).pathname,
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // At least two test files at a time, even on two cores (where vitest's default is one): much
    // of the suite waits on child processes (the CLI, wabt, the registry, Chromium).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The large generated inputs, built once per run and shared (LARGE_INPUTS in test/support/files.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // Bounds on hangs, not speed targets: the suite must pass on a busy machine
    // (test/support/hang.ts). Time limits belong to `npm run bench` and `npm run fuzz`.
    testTimeout: TEST_HANG_MS,
    hookTimeout: TEST_HANG_MS,
    teardownTimeout: HANG_MS,
    expect: { poll: { timeout: HANG_MS } },
  },
});
