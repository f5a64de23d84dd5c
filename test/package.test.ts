import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/main.js';
import { HANG_MS } from './support/hang.js';
import { REPO_ROOT } from './support/shared.js';

// The npm package as users get it: `npm pack` of the built tree (npm test builds it first),
// unpacked, and installed into a fresh project from the tarball.

interface Manifest {
  version: string;
  bin: Record<string, string>;
  main?: string;
  types?: string;
  typesVersions?: unknown;
  exports: unknown;
  imports: Record<string, unknown>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** esbuild's metafile of the command-line bundles, written by scripts/bundle-cli.mjs. */
interface BundleMeta {
  inputs: Record<string, unknown>;
  outputs: Record<string, { bytes: number }>;
}

const PACKED_LIMIT = 400_000;
/** Files a package has whatever loads it. */
const EXEMPT = new Set(['package.json', 'README.md', 'LICENSE']);

let work: string;
let tarball: string;
let unpacked: string;
let files: string[];
let manifest: Manifest;
let project: string;
let install: SpawnSyncReturns<string>;

/** The environment of a child npm: without the npm_* variables of the `npm test` running us. */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: HANG_MS });
  if (result.error !== undefined) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  return result;
}

/** `run`, failing with its output unless it exits with 0. */
function runOk(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const result = run(command, args, cwd);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The files under `dir`, as relative POSIX paths. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((entry) => statSync(join(dir, entry)).isFile())
    .map((entry) => entry.split('\\').join('/'))
    .sort();
}

/** Every string in a package.json entry-point field (bin, exports, imports, typesVersions…). */
const targetsOf = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.values(value).flatMap(targetsOf)
      : [];

/** The package that a bare specifier names: `a` of `a/b.json`, `@s/a` of `@s/a/b`. */
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * The files of the package that its entry points (bin, main, types, exports, imports,
 * typesVersions) load, following every static and dynamic import and declaration reference,
 * and the bare specifiers (packages and built-ins) they import.
 */
function reachable(): { reached: Set<string>; bare: Set<string> } {
  const reached = new Set<string>();
  const bare = new Set<string>();
  const pending = [manifest.bin, manifest.main, manifest.types, manifest.exports, manifest.typesVersions].flatMap(
    (field) => targetsOf(field).map((target) => posix.normalize(target)),
  );
  // An `imports` target is a file of the package (`./dist/…`) or a dependency (`hosted-git-info`).
  for (const target of targetsOf(manifest.imports)) {
    if (target.startsWith('.')) pending.push(posix.normalize(target));
    else bare.add(target);
  }
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (reached.has(file)) continue;
    reached.add(file);
    const text = readFileSync(join(unpacked, file), 'utf8');
    const { importedFiles, referencedFiles, typeReferenceDirectives } = ts.preProcessFile(text, true, true);
    const declaration = file.endsWith('.d.ts');
    for (const { fileName } of [...importedFiles, ...referencedFiles]) {
      if (fileName.startsWith('.')) {
        const target = posix.join(posix.dirname(file), fileName);
        pending.push(declaration ? target.replace(/\.js$/, '.d.ts') : target);
      } else if (fileName.startsWith('#')) {
        const targets = targetsOf(manifest.imports[fileName]).filter((target) => target.startsWith('.'));
        pending.push(
          ...targets
            .map((target) => posix.normalize(target))
            .filter((target) => target.endsWith('.d.ts') === declaration),
        );
      } else bare.add(fileName);
    }
    for (const { fileName } of typeReferenceDirectives) bare.add(fileName);
  }
  return { reached, bare };
}

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'bundle', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the package test');
  work = mkdtempSync(join(tmpdir(), 'wasm-meta-package-'));
  const packed = runOk('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO_ROOT);
  tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]?.filename ?? '');
  const extracted = join(work, 'unpacked');
  mkdirSync(extracted);
  runOk('tar', ['-xzf', tarball, '-C', extracted], work);
  unpacked = join(extracted, 'package');
  files = listFiles(unpacked);
  manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as Manifest;

  project = join(work, 'consumer');
  mkdirSync(project);
  const consumerManifest = {
    name: 'consumer',
    version: '1.2.3',
    description: 'A project that installs wasm-meta',
    license: 'MIT',
    repository: 'github:acme/consumer',
    private: true,
    type: 'module',
  };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(consumerManifest, null, 2)}\n`);
  // @types/node as a Node.js project has it: wasm-meta/node's declarations name NodeJS.ProcessEnv.
  const typesNode = `@types/node@${manifest.devDependencies['@types/node']}`;
  install = run('npm', ['install', tarball, typesNode, '--prefer-offline', '--no-audit', '--no-fund'], project);
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('npm package', () => {
  it(`packs to at most ${PACKED_LIMIT / 1000} kB`, () => {
    expect(statSync(tarball).size).toBeLessThanOrEqual(PACKED_LIMIT);
  });

  it('has the Apache-2.0 licence text', () => {
    expect(files).toContain('LICENSE');
    const licence = readFileSync(join(unpacked, 'LICENSE'), 'utf8');
    expect(licence).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(licence).toContain('END OF TERMS AND CONDITIONS');
    expect(manifest).toMatchObject({ license: 'Apache-2.0' });
  });

  it('has no source map that points at a file it lacks', () => {
    for (const map of files.filter((file) => file.endsWith('.map'))) {
      const { sources, sourceRoot = '' } = JSON.parse(readFileSync(join(unpacked, map), 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      for (const source of sources) expect(files, map).toContain(posix.join(posix.dirname(map), sourceRoot, source));
    }
  });

  it('holds only files that its entry points load, and imports only its dependencies', () => {
    const { reached, bare } = reachable();
    expect(reached.size).toBeGreaterThan(20);
    expect([...reached].filter((file) => !files.includes(file))).toEqual([]);
    expect(files.filter((file) => !reached.has(file) && !EXEMPT.has(file))).toEqual([]);
    const undeclared = [...bare].filter(
      (specifier) => !isBuiltin(specifier) && manifest.dependencies[packageOf(specifier)] === undefined,
    );
    expect(undeclared).toEqual([]);
  });

  it('installs from the tarball without a warning', () => {
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/npm warn/i);
  });

  it('inlines in the command-line bundles no package that it installs', () => {
    const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'bundle-meta.json'), 'utf8')) as BundleMeta;
    // The metafile describes the bundles in the tarball.
    const bundles = files.filter((file) => file.startsWith('dist/bundle/'));
    expect(Object.keys(meta.outputs).sort()).toEqual(bundles);
    for (const bundle of bundles)
      expect(statSync(join(unpacked, bundle)).size, bundle).toBe(meta.outputs[bundle]?.bytes);
    const inlined = new Set(
      Object.keys(meta.inputs).flatMap((input) => {
        const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
        return match?.[1] === undefined ? [] : [match[1]];
      }),
    );
    // Every package the install put in node_modules, at any depth.
    const lock = JSON.parse(readFileSync(join(project, 'node_modules', '.package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    const installed = new Set(
      Object.keys(lock.packages).map((path) => path.slice(path.lastIndexOf('node_modules/') + 13)),
    );
    for (const dependency of Object.keys(manifest.dependencies)) expect(installed).toContain(dependency);
    expect([...inlined].filter((name) => installed.has(name))).toEqual([]);
  });
});

describe('installed package', () => {
  const bin = () => join(project, 'node_modules', '.bin', 'wasm-meta');

  it('runs the command: --version, every command, --from, which loads the package-manifest parsers, and sbom', () => {
    expect(runOk(bin(), ['--version'], project).stdout.trim()).toBe(manifest.version);
    for (const command of Object.keys(COMMANDS)) {
      expect(runOk(bin(), [command, '--help'], project).stdout, command).toContain(`wasm-meta ${command}`);
    }
    writeFileSync(join(project, 'empty.wasm'), Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    runOk(bin(), ['add', 'empty.wasm', '-o', 'stamped.wasm', '--from', 'package.json'], project);
    const shown = JSON.parse(runOk(bin(), ['show', '--json', 'stamped.wasm'], project).stdout) as {
      module: { licenses: string; source: string };
    };
    expect(shown.module).toMatchObject({ licenses: 'MIT', source: 'https://github.com/acme/consumer' });
    // sbom loads the CycloneDX library from the installed dependencies (without its optional peers).
    const sbom = JSON.parse(runOk(bin(), ['sbom', 'stamped.wasm'], project).stdout) as {
      specVersion: string;
      metadata: { component: { licenses: unknown } };
    };
    expect(sbom).toMatchObject({ specVersion: '1.6', metadata: { component: { licenses: [{ expression: 'MIT' }] } } });
  });

  it('loads the three entry points with import and with require', () => {
    const script = [
      "const core = require('wasm-meta'), node = require('wasm-meta/node'), vite = require('wasm-meta/vite');",
      "import('wasm-meta').then((esm) => console.log(esm.readMetadata === core.readMetadata, typeof node.readMetadataFromFile));",
      "import('wasm-meta/vite').then((esm) => console.log(esm.default === vite.default, esm.default().name));",
    ].join('\n');
    writeFileSync(join(project, 'load.cjs'), script);
    const lines = runOk(process.execPath, ['load.cjs'], project).stdout.split('\n').sort();
    expect(lines).toEqual(['', 'true function', 'true wasm-meta']);
  });

  describe('types', () => {
    const consumer = [
      "import { readMetadata, type WasmBinary } from 'wasm-meta';",
      "import { readMetadataFromFileSync, type ReadStats } from 'wasm-meta/node';",
      "import wasmMeta, { type WasmMetaPlugin } from 'wasm-meta/vite';",
      '',
      "// A project without Vite or Rollup: the plugin's types are wasm-meta's own.",
      "const plugin: WasmMetaPlugin = wasmMeta({ from: 'Cargo.toml', edit: { vendor: 'ACME' }, files: ['*.wasm'] });",
      'const tree: WasmBinary = readMetadata(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));',
      "const kind: 'module' | 'component' = tree.kind;",
      'const read = (path: string): WasmBinary => readMetadataFromFileSync(path);',
      'export const used: [typeof kind, typeof read, ReadStats | undefined, string] = [kind, read, undefined, plugin.name];',
      '',
    ].join('\n');

    it.each([
      ['node10', 'commonjs'],
      ['node16', 'node16'],
      ['bundler', 'esnext'],
      ['bundler', 'preserve'],
    ])('resolve for a consumer with moduleResolution %s (module %s)', (moduleResolution, module) => {
      const name = `${moduleResolution}-${module}`;
      mkdirSync(join(project, name));
      writeFileSync(join(project, name, 'consumer.ts'), consumer);
      const compilerOptions = {
        module,
        moduleResolution,
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      };
      writeFileSync(join(project, name, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
      const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = run(process.execPath, [tsc, '-p', join(name, 'tsconfig.json')], project);
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    });
  });
});
