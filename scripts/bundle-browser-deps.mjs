// Bundles the dependencies that the browser-safe core needs but that need Node.js built-ins as
// published, into dist/vendor/. Today that is npm's hosted-git-info (package.json repository
// URLs), whose version 9 does `require('url')` for `url.URL` only; the bundle gives it the
// global `URL`. package.json's "imports" maps `#hosted-git-info` to the package itself in
// Node.js and to this bundle elsewhere, so that a consumer's browser build (Vite, esbuild,
// webpack) needs no alias or polyfill. hosted-git-info 10 uses the global `URL` itself but needs
// Node.js 22.22 or later: when wasm-meta drops Node.js 20, depend on it and delete this script.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const OUTFILE = 'dist/vendor/hosted-git-info.js';

/** The licence text of every package a bundle holds (its metafile's inputs), as a leading comment. */
function licenceBanner(metafile) {
  const dirs = new Set(
    Object.keys(metafile.inputs)
      .map((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1])
      .filter((dir) => dir !== undefined),
  );
  const texts = [...dirs].sort().map((dir) => {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].map((f) => join(dir, f)).find((f) => existsSync(f));
    if (file === undefined) throw new Error(`${name} has no licence file to bundle (${license})`);
    return `${name} ${version} (${license})\n\n${readFileSync(file, 'utf8').trim()}`;
  });
  const lines = ['Bundled for browsers by scripts/bundle-browser-deps.mjs.', '', ...texts.join('\n\n').split('\n')];
  return `/*!\n${lines.map((line) => ` * ${line}`.trimEnd()).join('\n')}\n */\n`;
}

const result = await build({
  entryPoints: [require.resolve('hosted-git-info')],
  outfile: OUTFILE,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'warning',
  plugins: [
    {
      // `require('url')` is used for `url.URL` only: browsers (and Node.js) have it as a global.
      name: 'global-url',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /^url$/ }, () => ({ path: 'url', namespace: 'global-url' }));
        pluginBuild.onLoad({ filter: /.*/, namespace: 'global-url' }, () => ({
          contents: 'export const URL = globalThis.URL;',
          loader: 'js',
        }));
      },
    },
  ],
});
mkdirSync(dirname(OUTFILE), { recursive: true });
writeFileSync(OUTFILE, licenceBanner(result.metafile) + (result.outputFiles[0]?.text ?? ''));
