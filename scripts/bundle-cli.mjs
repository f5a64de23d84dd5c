// Bundles the command line into dist/bundle/: a tiny entry (main.js) and one bundle per command,
// loaded only when that command runs. add and check load the package-manifest parsers, a bundle
// of their own, only for --from; those three share errors.js, so that a process has one
// WasmMetaError class however many bundles it loads. The other commands are self-contained: a
// file less to load. Node starts a few minified files far faster than dozens of modules, which
// is most of what a `show` costs.
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { build } from 'esbuild';

const selfContained = ['show', 'migrate', 'annotations', 'push', 'pull', 'inspect'];
const sharingErrors = ['add', 'check'];
const commands = [...selfContained, ...sharingErrors];

/** Modules imported at run time from their own bundle, never inlined. */
const commandBundles = Object.fromEntries(commands.map((name) => [resolve(`src/cli/${name}.ts`), `./${name}.js`]));
const sharedBundles = {
  [resolve('src/errors.ts')]: './errors.js',
  [resolve('src/node/package-manifest.ts')]: './package-manifest.js',
};

/** Built-ins whose ES-module facade costs start-up time (see the plugin below). */
const builtins = /^node:(fs|fs\/promises|util|path|events)$/;

const REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);\n";

/** Builds `entryPoints`, importing the modules of `separate` from their own bundles. */
const bundle = (entryPoints, separate) =>
  build({
    entryPoints,
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
        name: 'separate-bundles',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /\.js$/ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            const target = separate[resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'))];
            return target === undefined ? undefined : { path: target, external: true };
          });
        },
      },
      {
        // `import … from 'node:fs'` in an ES module makes Node build a facade that reads every
        // export of the built-in, and some of those exports are lazy getters (fs's ReadStream
        // loads the whole streams code): milliseconds of start-up for nothing. The bundles take
        // each built-in's plain values from the built-in itself instead.
        name: 'builtins-without-facade',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: builtins }, (args) => ({
            path: args.path,
            namespace: 'builtin',
            sideEffects: false,
          }));
          pluginBuild.onLoad({ filter: /.*/, namespace: 'builtin' }, async (args) => {
            const module = createRequire(import.meta.url)(args.path);
            const id = JSON.stringify(args.path);
            const lines = [
              "import { createRequire } from 'node:module';",
              `const m = process.getBuiltinModule?.(${id}) ?? createRequire(import.meta.url)(${id});`,
              'export default m;',
            ];
            for (const name of Object.keys(module)) {
              if (!/^[A-Za-z_$][\w$]*$/.test(name)) continue;
              // Plain values are taken as they are; a lazy getter (util's parseArgs) is read only
              // when its function is first called, so that importing it loads nothing.
              if ('value' in Object.getOwnPropertyDescriptor(module, name))
                lines.push(`export const ${name} = m.${name};`);
              else if (typeof module[name] === 'function')
                lines.push(
                  `export function ${name}(...a) { return new.target ? new m.${name}(...a) : m.${name}(...a); }`,
                );
            }
            return { contents: lines.join('\n'), loader: 'js' };
          });
        },
      },
    ],
  });

const entries = (names, dir = 'src/cli') => Object.fromEntries(names.map((name) => [name, `${dir}/${name}.ts`]));
const results = [
  await bundle({ main: 'src/cli/main.ts', ...entries(selfContained) }, commandBundles),
  await bundle(
    { ...entries(sharingErrors), errors: 'src/errors.ts', 'package-manifest': 'src/node/package-manifest.ts' },
    sharedBundles,
  ),
];

// CommonJS dependencies (hosted-git-info) call require() for Node built-ins, which an ES module
// lacks: the bundles that hold such calls get one. The others start without it.
for (const file of results.flatMap((result) => result.outputFiles)) {
  await mkdir(dirname(file.path), { recursive: true });
  const needsRequire = file.text.includes('typeof require<"u"');
  await writeFile(file.path, needsRequire ? REQUIRE_BANNER + file.text : file.text);
}
