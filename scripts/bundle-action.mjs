// Bundles the GitHub Action (action.yml's runs.main) into one self-contained file,
// action/index.js, committed because the runner runs the repository as it is checked out, with
// no npm install. Everything is inlined: @actions/core and @actions/glob (devDependencies, since
// only this bundle holds them) and wasm-meta's own dependencies. @actions/core is the toolkit's
// reading of inputs and writing of outputs, masks and annotations; @actions/glob matches the
// `files` patterns as other actions do (upload-artifact, hashFiles) and walks the file system,
// which minimatch does not (and Node 20 has no fs.glob). The output is deterministic
// (no paths, no dates), so that test/action/bundle.test.ts can rebuild it and compare bytes.
// The licences of the bundled packages go to action/THIRD-PARTY-LICENSES.txt beside it.
//
//   node scripts/bundle-action.mjs [OUTDIR]   (npm run build:action; OUTDIR defaults to action/)
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] ?? join(root, 'action'));

const result = await build({
  entryPoints: [join(root, 'src/action/main.ts')],
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  write: false,
  metafile: true,
  logLevel: 'warning',
  // The SPDX lists are inlined (the browser form imports them as JSON): the action runs with no
  // node_modules, where the Node form, which requires them on first use, would find none.
  alias: { '#inflate': './src/sections/inflate-node.ts', '#spdx-lists': './src/values/spdx-lists-browser.ts' },
  // The CycloneDX library (for the sbom input) is inlined; its optional plugins, which it loads
  // only if installed (XML output, schema validation with their 7 MB of schemas), are not: the
  // action writes JSON and does not validate, so their require() fails and the library goes on.
  external: ['ajv', 'ajv-formats', 'ajv-formats-draft2019', 'libxmljs2', 'xmlbuilder2', 'packageurl-js'],
  plugins: [
    {
      // @actions/core imports its OIDC client (@actions/http-client, undici, tunnel) for
      // getIDToken, which the action does not call. Those packages do nothing on import, so
      // saying so lets esbuild leave them out: a bundle a fifth the size.
      name: 'unused-http-client',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /^(@actions\/http-client|undici|tunnel)(\/|$)/ }, async (args) => {
          if (args.pluginData === 'resolving') return undefined;
          const resolved = await pluginBuild.resolve(args.path, {
            kind: args.kind,
            resolveDir: args.resolveDir,
            importer: args.importer,
            pluginData: 'resolving',
          });
          return { ...resolved, sideEffects: false };
        });
      },
    },
  ],
  // Bundled CommonJS (hosted-git-info, undici) calls require() for Node's built-ins, and the
  // CycloneDX library names the directory of its resources from __dirname when it loads (its
  // schemas, which only the validators left out above read).
  banner: {
    js: "import{createRequire as __wasmMetaRequire}from'node:module';const require=__wasmMetaRequire(import.meta.url);const __filename=require('node:url').fileURLToPath(import.meta.url);const __dirname=require('node:path').dirname(__filename);",
  },
});

/** The packages the bundle holds (code of theirs in the output), by their node_modules directory. */
const packages = new Set();
const [output] = Object.values(result.metafile.outputs);
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
  if (bytesInOutput === 0) continue;
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match) packages.add(match[1]);
}
const notices = [...packages]
  .map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(join(root, dir)).find((name) => /^(licen[cs]e|copying)/i.test(name));
    const text = licenseFile === undefined ? '' : readFileSync(join(root, dir, licenseFile), 'utf8').trim();
    return { name: manifest.name, text: `${manifest.name} ${manifest.version} (${manifest.license})\n\n${text}\n` };
  })
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  .map((entry) => entry.text);

await mkdir(outdir, { recursive: true });
await writeFile(join(outdir, 'index.js'), result.outputFiles[0].text);
await writeFile(
  join(outdir, 'THIRD-PARTY-LICENSES.txt'),
  `The packages bundled into index.js, with their licences.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`,
);
