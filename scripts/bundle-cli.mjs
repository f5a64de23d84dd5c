// Bundles the command line into dist/bundle/: a tiny entry (main.js), and one self-contained
// bundle per command that is loaded only when that command runs. Node starts a single
// minified file far faster than dozens of modules, which is most of what a `show` costs.
import { sep } from 'node:path';
import { build } from 'esbuild';

const commands = ['show', 'program', 'add', 'migrate', 'check', 'annotations', 'push', 'pull', 'inspect'];
const commandImport = new RegExp(`^\\./(${commands.join('|')})\\.js$`);

await build({
  entryPoints: ['main', ...commands].map((name) => `src/cli/${name}.ts`),
  outdir: 'dist/bundle',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
  alias: { '#inflate': './src/sections/inflate-node.ts' },
  // CommonJS dependencies (spdx-expression-parse) call require() for their JSON lists.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'commands-stay-separate',
      setup(pluginBuild) {
        // A command loads another command's bundle at run time instead of inlining it.
        pluginBuild.onResolve({ filter: commandImport }, (args) =>
          args.importer.includes(`${sep}src${sep}cli${sep}`) ? { path: args.path, external: true } : undefined,
        );
      },
    },
  ],
});
