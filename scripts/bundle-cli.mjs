// Bundles the command line into dist/bundle/: a tiny entry (main.js) and one bundle per command,
// loaded only when that command runs. add and check load the package-manifest parsers, a bundle
// of their own, only for --from; those three share errors.js, so that a process has one
// WasmMetaError class however many bundles it loads. show, migrate and annotations are
// self-contained: a file less to load. The registry commands and sbom share the registry client,
// the reader and the error class in chunks (dist/bundle/chunks/), so that the package does not
// hold the client six times; a network command can spare a file or two of start-up. Node starts a few minified files far faster than dozens of modules, which
// is most of what a `show` costs. The packages in `dependencies` are not inlined: the library
// (dist/, compiled by tsc) imports them, so they are installed, and the bundles import them from
// node_modules too. A package only the command line uses (get-east-asian-width) is inlined and is
// a devDependency. dist/bundle-meta.json, esbuild's metafile, records what each bundle holds; it
// is not part of the npm package.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const selfContained = ['show', 'migrate', 'annotations'];
const sharingErrors = ['add', 'check'];
const registry = ['push', 'pull', 'inspect', 'attach', 'referrers', 'sbom'];
const commands = [...selfContained, ...sharingErrors, ...registry];

/** Modules imported at run time from their own bundle, never inlined. */
const commandBundles = Object.fromEntries(commands.map((name) => [resolve(`src/cli/${name}.ts`), `./${name}.js`]));
const sharedBundles = {
  [resolve('src/errors.ts')]: './errors.js',
  [resolve('src/node/package-manifest.ts')]: './package-manifest.js',
};

/** Built-ins whose ES-module facade costs start-up time (see the plugin below). */
const builtins = /^node:(fs|fs\/promises|util|path|events)$/;

/** The packages that the bundles import from node_modules. */
const dependencies = new Set(Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).dependencies));

/** The package.json `imports` whose Node.js target is a dependency: `#hosted-git-info`. */
const nodePackageImports = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync('package.json', 'utf8')).imports)
    .filter(([, target]) => typeof target.node === 'string' && !target.node.startsWith('.'))
    .map(([name, target]) => [name, target.node]),
);

/** The package that a bare import specifier names: `a` of `a/b.json`, `@s/a` of `@s/a/b`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Whether `file`, what a dependency's import resolves to, is JSON or CommonJS rather than ESM. */
function loadsByRequire(file) {
  if (file.endsWith('.json') || file.endsWith('.cjs')) return true;
  if (file.endsWith('.mjs')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).type !== 'module';
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return true;
}

/** Whether a package's export is a function and nothing else (no static members to read). */
const isBareFunction = (value) =>
  typeof value === 'function' &&
  Object.getOwnPropertyNames(value).every((name) =>
    ['length', 'name', 'prototype', 'arguments', 'caller'].includes(name),
  );

/** Builds `entryPoints`, importing the modules of `separate` from their own bundles. */
const bundle = (entryPoints, separate, options = {}) =>
  build({
    ...options,
    entryPoints,
    outdir: 'dist/bundle',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'warning',
    alias: { '#inflate': './src/sections/inflate-node.ts', '#spdx-lists': './src/values/spdx-lists-node.ts' },
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
        // The dependencies stay external. An ES module that imports a CommonJS package or a JSON
        // file makes Node parse it for its export names (cjs-module-lexer) or go through the
        // JSON-module loader: milliseconds of start-up. The bundles require() those instead (they
        // are default imports); ES-module dependencies are imported.
        name: 'dependencies-from-node-modules',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
            // A package import (`#hosted-git-info`) that names a dependency in Node.js is that
            // dependency; other `#` imports are aliased above and inlined.
            const path = nodePackageImports[args.path] ?? args.path;
            if (args.namespace === 'required' || !dependencies.has(packageOf(path))) return undefined;
            if (!loadsByRequire(fileURLToPath(import.meta.resolve(path)))) return { path, external: true };
            return { path, namespace: 'required', sideEffects: false };
          });
          pluginBuild.onLoad({ filter: /.*/, namespace: 'required' }, (args) => {
            const id = JSON.stringify(args.path);
            // A package that is a bare function (spdx-correct, spdx-expression-parse) is required
            // on its first call: loading spdx-correct sorts its tables, about 10 ms of start-up
            // that a file without an invalid licence never needs.
            const lines = isBareFunction(createRequire(import.meta.url)(args.path))
              ? [
                  'let m;',
                  `export default function (...a) { m ??= createRequire(import.meta.url)(${id}); return new.target ? new m(...a) : m(...a); }`,
                ]
              : [`export default createRequire(import.meta.url)(${id});`];
            return { contents: ["import { createRequire } from 'node:module';", ...lines].join('\n'), loader: 'js' };
          });
        },
      },
      {
        // `import … from 'node:fs'` in an ES module makes Node build a facade that reads every
        // export of the built-in, and some of those exports are lazy getters (fs's ReadStream
        // loads the whole streams code): milliseconds of start-up for nothing. The bundles take
        // from the built-in itself only the exports that they use: each export is a module of its
        // own, free of side effects, so that esbuild drops the ones nothing imports. Reading every
        // export would read deprecated ones too (fs.F_OK warns on Node.js 24), and which exports
        // exist depends on the Node.js version that builds.
        name: 'builtins-without-facade',
        setup(pluginBuild) {
          const loader = (id) => [
            "import { createRequire } from 'node:module';",
            `export default process.getBuiltinModule?.(${id}) ?? createRequire(import.meta.url)(${id});`,
          ];
          pluginBuild.onResolve({ filter: builtins }, (args) =>
            // A dynamic import() needs the whole namespace, every export: Node's own facade
            // builds it, when the import runs.
            args.kind === 'dynamic-import'
              ? { path: args.path, external: true }
              : { path: args.path, namespace: 'builtin', sideEffects: false },
          );
          pluginBuild.onResolve({ filter: /^builtin-(?:object|export):/ }, (args) => ({
            path: args.path,
            namespace: 'builtin',
            sideEffects: false,
          }));
          pluginBuild.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
            const [kind, specifier, name] = args.path.split('#');
            if (kind === 'builtin-object:')
              return { contents: loader(JSON.stringify(specifier)).join('\n'), loader: 'js' };
            if (kind === 'builtin-export:') {
              const module = createRequire(import.meta.url)(specifier);
              const object = JSON.stringify(`builtin-object:#${specifier}`);
              // A plain value is read when the bundle starts; a lazy getter (util's parseArgs)
              // only when its function is first called, so that importing it loads nothing.
              const line =
                'value' in Object.getOwnPropertyDescriptor(module, name)
                  ? `export const ${name} = m.${name};`
                  : `export function ${name}(...a) { return new.target ? new m.${name}(...a) : m.${name}(...a); }`;
              return { contents: `import m from ${object};\n${line}`, loader: 'js' };
            }
            const module = createRequire(import.meta.url)(args.path);
            const lines = [`export { default } from ${JSON.stringify(`builtin-object:#${args.path}`)};`];
            for (const name of Object.keys(module)) {
              if (!/^[A-Za-z_$][\w$]*$/.test(name)) continue;
              const descriptor = Object.getOwnPropertyDescriptor(module, name);
              if ('value' in descriptor || typeof module[name] === 'function')
                lines.push(`export { ${name} } from ${JSON.stringify(`builtin-export:#${args.path}#${name}`)};`);
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
  // The registry commands share the registry client, the reader and the one WasmMetaError class
  // in chunks of their own: a network command loads two or three files, and the package does
  // not hold the client six times.
  await bundle(entries(registry), commandBundles, { splitting: true, chunkNames: 'chunks/[name]-[hash]' }),
];

for (const file of results.flatMap((result) => result.outputFiles)) {
  await mkdir(dirname(file.path), { recursive: true });
  await writeFile(file.path, file.text);
}
const metafile = {
  inputs: Object.assign({}, ...results.map((result) => result.metafile.inputs)),
  outputs: Object.assign({}, ...results.map((result) => result.metafile.outputs)),
};
await writeFile('dist/bundle-meta.json', `${JSON.stringify(metafile, null, 1)}\n`);
