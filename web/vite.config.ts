import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

// The inspector is a static page: everything runs in the browser, from the library's own source.
export default defineConfig({
  root: path('.'),
  base: './',
  // The example component the repository ships, offered as "open the example".
  publicDir: path('../examples'),
  resolve: {
    alias: {
      // The browser implementation of `#inflate` (fflate), as in the library's browser build.
      '#inflate': path('../src/sections/inflate-browser.ts'),
    },
  },
  build: {
    outDir: path('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // The SPDX lists are imported as JSON modules by the library and required by
        // spdx-expression-parse (CommonJS); both get the same data, so the mismatch is harmless.
        if (/spdx-(license-ids|exceptions)\/.*\.json.*import attributes/s.test(warning.message)) return;
        warn(warning);
      },
    },
  },
  server: { port: 5173, strictPort: false },
});
