// Bundles the command line into dist/bundle/: a tiny entry (main.js), and one self-contained
// bundle per command that is loaded only when that command runs. Node starts a single
// minified file far faster than dozens of modules, which is most of what a `show` costs.
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { build } from 'esbuild';

// Commands, and manifest-import, which `add` loads only for --from.
const commands = [
  'show',
  'program',
  'add',
  'migrate',
  'check',
  'annotations',
  'push',
  'pull',
  'inspect',
  'manifest-import',
];
const commandImport = new RegExp(`^\\./(${commands.join('|')})\\.js$`);

const REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);\n";

const result = await build({
  entryPoints: ['main', ...commands].map((name) => `src/cli/${name}.ts`),
  outdir: 'dist/bundle',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  write: false,
  logLevel: 'warning',
  alias: { '#inflate': './src/sections/inflate-node.ts' },
  plugins: [
    {
      // `import … from 'node:fs'` in an ES module makes Node build a facade that reads every
      // export of fs, and its lazy ReadStream/WriteStream getters load the whole streams code:
      // milliseconds of start-up for nothing. The bundles take fs from the built-in instead.
      name: 'fs-without-facade',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /^node:fs$/ }, () => ({ path: 'node:fs', namespace: 'fs-without-facade' }));
        pluginBuild.onLoad({ filter: /.*/, namespace: 'fs-without-facade' }, async () => {
          // Plain values only: reading a getter here would load what it guards.
          const fs = createRequire(import.meta.url)('node:fs');
          const names = Object.keys(fs).filter((name) => 'value' in Object.getOwnPropertyDescriptor(fs, name));
          return {
            contents: [
              "import { createRequire } from 'node:module';",
              "const fs = process.getBuiltinModule?.('node:fs') ?? createRequire(import.meta.url)('node:fs');",
              'export default fs;',
              ...names.map((name) => `export const ${name} = fs.${name};`),
            ].join('\n'),
            loader: 'js',
          };
        });
      },
    },
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

// CommonJS dependencies (commander, hosted-git-info) call require() for Node built-ins, which
// an ES module lacks: the bundles that hold such calls get one. The others start without it.
await mkdir('dist/bundle', { recursive: true });
for (const file of result.outputFiles) {
  const needsRequire = file.text.includes('typeof require<"u"');
  await writeFile(file.path, needsRequire ? REQUIRE_BANNER + file.text : file.text);
}
