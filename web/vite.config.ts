import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

// The inspector is a static page: everything runs in the browser, from the library's own source.
export default defineConfig({
  root: path('.'),
  base: './',
  // Nothing is copied as is: the built site holds only what the page loads (the example
  // component and its licence are imported as assets, in src/example.ts).
  publicDir: false,
  resolve: {
    alias: {
      // The browser implementation of `#inflate` (fflate), as in the library's browser build.
      '#inflate': path('../src/sections/inflate-browser.ts'),
      // The SPDX lists as JSON modules, inlined.
      '#spdx-lists': path('../src/values/spdx-lists-browser.ts'),
    },
  },
  build: {
    outDir: path('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The example component (1.6 MB) is a file of its own, never inlined into the script.
    assetsInlineLimit: (file) => !file.endsWith('.wasm') && !file.endsWith('.LICENSE'),
    // No source maps: the page never loads them, and they would double the size of the site.
    sourcemap: false,
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
