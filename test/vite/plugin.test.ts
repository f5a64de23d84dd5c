import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollup, type Plugin as RollupPlugin } from 'rollup';
import * as vite7 from 'vite';
import * as vite5 from 'vite5';
import * as vite6 from 'vite6';
import { afterAll, describe, expect, it } from 'vitest';
import { readMetadata } from '../../src/read.js';
import wasmMeta, { type WasmMetaOptions } from '../../src/vite/index.js';
import { nearestPackageJson } from '../../src/vite/nearest-package-json.js';
import { splitFences } from '../support/markdown.js';
import { REPO_ROOT } from '../support/shared.js';
import { custom, module } from '../support/wasm.js';

// Real builds, as a project runs them: a small Vite app that imports a component with `?url` and
// a core module with `?init`, built by Vite 7, 6 and 5 with the plugin; and plain Rollup 4 with a
// plugin that emits a .wasm asset. The emitted files are read back with the library.

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-vite-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const COMPONENT = readFileSync(join(REPO_ROOT, 'examples', 'hello.wasm'));
/** A core module that `?init` can instantiate (no imports), above Vite's 4 KiB inline limit. */
const MODULE = Uint8Array.from(module(custom('padding', new Array<number>(6000).fill(0))));
/** A core module below the inline limit, which Vite inlines as a data: URL. */
const SMALL_MODULE = Uint8Array.from(module());

const MANIFEST = {
  name: 'hello-app',
  version: '1.2.3',
  description: 'A Vite app with a component',
  license: 'MIT',
  author: 'Ana Lima <ana@example.com>',
  repository: 'github:acme/hello-app',
  private: true,
  type: 'module',
};

/** Runs git with a fixed identity and no user or system configuration. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } },
  ).trim();
}

let apps = 0;

/** A Vite app in a git repository with one commit: its root and the commit. */
function viteApp(manifest: object = MANIFEST, main?: string): { root: string; head: string } {
  const root = join(scratch, `app-${++apps}`);
  mkdirSync(join(root, 'public'), { recursive: true });
  writeFileSync(join(root, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(root, 'index.html'), '<!doctype html>\n<script type="module" src="/main.js"></script>\n');
  const defaultMain = [
    "import componentUrl from './hello.wasm?url';",
    "import init from './add.wasm?init';",
    'document.body.dataset.component = componentUrl;',
    'init().then((instance) => console.log(instance.exports));',
    '',
  ].join('\n');
  writeFileSync(join(root, 'main.js'), main ?? defaultMain);
  copyFileSync(join(REPO_ROOT, 'examples', 'hello.wasm'), join(root, 'hello.wasm'));
  writeFileSync(join(root, 'add.wasm'), MODULE);
  writeFileSync(join(root, 'small.wasm'), SMALL_MODULE);
  writeFileSync(join(root, 'public', 'extra.wasm'), MODULE);
  git(root, 'init', '-q');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'app');
  return { root, head: git(root, 'rev-parse', 'HEAD') };
}

type ViteBuild = (config: object) => Promise<unknown>;

const VITES: Array<[string, ViteBuild]> = [
  [`Vite ${vite7.version}`, vite7.build as ViteBuild],
  [`Vite ${vite6.version}`, vite6.build as ViteBuild],
  [`Vite ${vite5.version}`, vite5.build as ViteBuild],
];

/** A warning as the build reports it: the plugin that raised it and its message. */
interface Warning {
  plugin: string | undefined;
  message: string;
}

/** Builds the app at `root` into `dist/` with the plugin; the warnings that reach Rollup's onwarn. */
async function buildApp(build: ViteBuild, root: string, options?: WasmMetaOptions, infos: string[] = []) {
  const warnings: Warning[] = [];
  type Handler = (level: string, log: Warning) => void;
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [wasmMeta(options)],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      manifest: true,
      rollupOptions: {
        onwarn: (warning: Warning) => warnings.push({ ...warning }),
        onLog: (level: string, log: Warning, handler: Handler) =>
          level === 'info' && log.plugin === 'wasm-meta' ? infos.push(log.message) : handler(level, log),
      },
    },
  });
  return warnings;
}

/** The file in `dir` whose name starts with `prefix` and ends with `extension`; exactly one. */
function emitted(dir: string, prefix: string, extension: string): string {
  const names = readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith(extension));
  expect(names, `${prefix}*${extension} in ${dir}`).toHaveLength(1);
  return names[0] as string;
}

/** The first 8 characters of the URL-safe base64 SHA-256 of `bytes`: the plugin's [hash]. */
const hashOf = (bytes: Uint8Array, length = 8) =>
  createHash('sha256').update(bytes).digest('base64url').slice(0, length);

describe.each(VITES)('the plugin in %s', (_, build) => {
  it('stamps the ?url component and the ?init module; each hashed name is its stamped content’s, and the chunk references it', async () => {
    const { root, head } = viteApp();
    const infos: string[] = [];
    expect(await buildApp(build, root, undefined, infos)).toEqual([]);
    const assets = join(root, 'dist', 'assets');
    const componentName = emitted(assets, 'hello-', '.wasm');
    const moduleName = emitted(assets, 'add-', '.wasm');
    const component = readFileSync(join(assets, componentName));
    const core = readFileSync(join(assets, moduleName));
    for (const bytes of [component, core]) {
      expect(readMetadata(bytes)).toMatchObject({
        name: 'hello-app',
        version: '1.2.3',
        description: 'A Vite app with a component',
        licenses: 'MIT',
        authors: 'Ana Lima <ana@example.com>',
        source: 'https://github.com/acme/hello-app',
        revision: head,
      });
    }
    expect(readMetadata(component).kind).toBe('component');
    expect(readMetadata(component).imports).toEqual(readMetadata(COMPONENT).imports);
    // The hash in each name is that of the stamped file, not of the unstamped input.
    expect(componentName).toBe(`hello-${hashOf(component)}.wasm`);
    expect(moduleName).toBe(`add-${hashOf(core)}.wasm`);
    expect(componentName).not.toBe(`hello-${hashOf(COMPONENT)}.wasm`);
    // The entry chunk references both by their emitted names, and ?init still instantiates.
    const chunk = readFileSync(join(assets, emitted(assets, 'index-', '.js')), 'utf8');
    expect(chunk).toContain(`"/assets/${componentName}"`);
    expect(chunk).toContain(`"/assets/${moduleName}?init"`);
    // So does Vite's build manifest.
    const manifest = readFileSync(join(root, 'dist', '.vite', 'manifest.json'), 'utf8');
    expect(manifest).toContain(`"assets/${componentName}"`);
    expect(manifest).toContain(`"assets/${moduleName}"`);
    expect((await WebAssembly.instantiate(core)).instance).toBeInstanceOf(WebAssembly.Instance);
    // What it stamped goes through this.info.
    expect(infos.sort()).toEqual([
      `[plugin wasm-meta] stamped assets/${moduleName}: name, authors, description, licenses, source, revision, version`,
      `[plugin wasm-meta] stamped assets/${componentName}: name, authors, description, licenses, source, revision, version`,
    ]);
  });

  it('gives the same names and bytes on a second build, and a new name that the chunk references after a version bump', async () => {
    const { root } = viteApp();
    const assets = join(root, 'dist', 'assets');
    const snapshot = () =>
      Object.fromEntries(readdirSync(assets).map((name) => [name, hashOf(readFileSync(join(assets, name)), 43)]));
    await buildApp(build, root);
    const first = snapshot();
    await buildApp(build, root);
    expect(snapshot()).toEqual(first);

    const before = emitted(assets, 'hello-', '.wasm');
    writeFileSync(join(root, 'package.json'), JSON.stringify({ ...MANIFEST, version: '1.2.4' }));
    await buildApp(build, root);
    const after = emitted(assets, 'hello-', '.wasm');
    expect(after).not.toBe(before);
    expect(readMetadata(readFileSync(join(assets, after))).version).toBe('1.2.4');
    const chunk = readFileSync(join(assets, emitted(assets, 'index-', '.js')), 'utf8');
    expect(chunk).toContain(`"/assets/${after}"`);
    expect(chunk).not.toContain(before);
  });

  it('fails the build on an invalid licence, naming package.json and the key', async () => {
    const { root } = viteApp({ ...MANIFEST, license: 'MIT OR (' });
    await expect(buildApp(build, root)).rejects.toThrow(/package\.json.*license/);
  });

  it('reports manifest warnings through this.warn, lets explicit values win, and stamps the files option after writing', async () => {
    const { root } = viteApp({ ...MANIFEST, license: 'UNLICENSED' });
    const warnings = await buildApp(build, root, {
      edit: { version: '2.0.0', vendor: 'ACME' },
      files: ['*.wasm', 'missing/*.wasm'],
    });
    expect(warnings.map((warning) => warning.plugin)).toEqual(['wasm-meta', 'wasm-meta']);
    expect(warnings[0]?.message).toMatch(/license.*UNLICENSED.*not an SPDX expression/);
    expect(warnings[1]?.message).toContain('missing/*.wasm matches no file');
    const assets = join(root, 'dist', 'assets');
    const component = readMetadata(readFileSync(join(assets, emitted(assets, 'hello-', '.wasm'))));
    expect(component).toMatchObject({ name: 'hello-app', version: '2.0.0', vendor: 'ACME', licenses: null });
    // public/extra.wasm, copied as it is by Vite, stamped in place by `files`.
    expect(readMetadata(readFileSync(join(root, 'dist', 'extra.wasm')))).toMatchObject({ version: '2.0.0' });
    expect(readMetadata(readFileSync(join(root, 'public', 'extra.wasm'))).version).toBeNull();
  });

  it('warns that a .wasm file inlined as a data: URL is not stamped', async () => {
    const { root } = viteApp(MANIFEST, "import init from './small.wasm?init';\ninit();\n");
    const warnings = await buildApp(build, root);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(
      /index-.*\.js holds a \.wasm file inlined as a data: URL, which is not stamped/,
    );
  });
});

describe('the plugin in plain Rollup', () => {
  const HELLO = '\0hello.wasm';

  /**
   * A plugin that emits examples/hello.wasm as an asset, as a wasm plugin does, a module with a
   * fixed file name, and `more` assets by name.
   */
  const emitter = (more: Record<string, string | Uint8Array>): RollupPlugin => ({
    name: 'emit-wasm',
    resolveId: (id) => (id === 'hello.wasm' ? HELLO : null),
    load(id) {
      if (id !== HELLO) return null;
      const hashed = this.emitFile({ type: 'asset', name: 'hello.wasm', source: COMPONENT });
      const fixed = this.emitFile({ type: 'asset', fileName: 'fixed.wasm', source: MODULE });
      for (const [name, source] of Object.entries(more)) this.emitFile({ type: 'asset', name, source });
      return `export const hello = import.meta.ROLLUP_FILE_URL_${hashed};\nexport const fixed = import.meta.ROLLUP_FILE_URL_${fixed};\n`;
    },
  });

  interface RollupBuild {
    output?: object;
    infos?: string[];
    options?: WasmMetaOptions;
    more?: Record<string, string | Uint8Array>;
  }

  /** Bundles with Rollup and the plugin (its `from` the project's package.json); the output directory. */
  async function rollupBuild(manifest: object, { output = {}, infos = [], options, more = {} }: RollupBuild = {}) {
    const dir = join(scratch, `rollup-${++apps}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'main.js'), "export * from 'hello.wasm';\n");
    const bundle = await rollup({
      input: join(dir, 'main.js'),
      plugins: [emitter(more), wasmMeta({ from: join(dir, 'package.json'), ...options })],
      onLog: (level, log) => {
        if (level === 'warn') throw new Error(log.message);
        infos.push(log.message);
      },
    });
    try {
      await bundle.write({ dir: join(dir, 'dist'), format: 'es', ...output });
    } finally {
      await bundle.close();
    }
    return join(dir, 'dist');
  }

  it('stamps the emitted assets; a hashed name is the stamped content’s and the chunk references it', async () => {
    const infos: string[] = [];
    const dist = await rollupBuild({ ...MANIFEST, repository: undefined }, { infos });
    const name = emitted(join(dist, 'assets'), 'hello-', '.wasm');
    const bytes = readFileSync(join(dist, 'assets', name));
    expect(readMetadata(bytes)).toMatchObject({ name: 'hello-app', version: '1.2.3', licenses: 'MIT', source: null });
    expect(name).toBe(`hello-${hashOf(bytes)}.wasm`);
    expect(readMetadata(readFileSync(join(dist, 'fixed.wasm'))).version).toBe('1.2.3');
    const chunk = readFileSync(join(dist, 'main.js'), 'utf8');
    expect(chunk).toContain(`'assets/${name}'`);
    expect(chunk).toContain(`'fixed.wasm'`);
    expect(infos).toEqual([
      expect.stringMatching(/^\[plugin wasm-meta\] revision not written: .* is not in a git repository$/),
      '[plugin wasm-meta] stamped fixed.wasm: name, authors, description, licenses, version',
      `[plugin wasm-meta] stamped assets/${name}: name, authors, description, licenses, version`,
    ]);
  });

  it('follows output.assetFileNames, as a pattern with [hash:N] or a function, and output.hashCharacters', async () => {
    const hex = await rollupBuild(MANIFEST, {
      output: { assetFileNames: 'wasm/[name].[hash:12][extname]', hashCharacters: 'hex' },
    });
    const name = emitted(join(hex, 'wasm'), 'hello.', '.wasm');
    const bytes = readFileSync(join(hex, 'wasm', name));
    expect(name).toBe(`hello.${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.wasm`);
    expect(readFileSync(join(hex, 'main.js'), 'utf8')).toContain(`'wasm/${name}'`);

    const named = await rollupBuild(MANIFEST, { output: { assetFileNames: () => 'static/[name]-[hash][extname]' } });
    const staticName = emitted(join(named, 'static'), 'hello-', '.wasm');
    expect(staticName).toBe(`hello-${hashOf(readFileSync(join(named, 'static', staticName)))}.wasm`);
  });

  it('fails the build on an invalid licence, naming package.json and the key', async () => {
    await expect(rollupBuild({ ...MANIFEST, license: 'MIT OR (' })).rejects.toThrow(/package\.json.*license/);
  });

  it('fails the build on an asset that is not WebAssembly, naming it, and with strict on an invalid metadata section', async () => {
    await expect(rollupBuild(MANIFEST, { more: { 'broken.wasm': 'not wasm' } })).rejects.toThrow(
      /^\[plugin wasm-meta\] assets\/broken-.*\.wasm: .*WebAssembly/,
    );
    const invalid = Uint8Array.from(module(custom('homepage', 'not a URL')));
    // Without strict, the invalid section is one the edit leaves alone: the build passes.
    const dist = await rollupBuild(MANIFEST, { more: { 'invalid.wasm': invalid } });
    const name = emitted(join(dist, 'assets'), 'invalid-', '.wasm');
    expect(readMetadata(readFileSync(join(dist, 'assets', name))).version).toBe('1.2.3');
    await expect(
      rollupBuild(MANIFEST, { more: { 'invalid.wasm': invalid }, options: { strict: true } }),
    ).rejects.toThrow(/assets\/invalid-.*\.wasm: .*homepage/);
  });

  it('with from: false, stamps the explicit values alone', async () => {
    const dist = await rollupBuild(MANIFEST, { options: { from: false, edit: { vendor: 'ACME' } } });
    const stamped = readMetadata(readFileSync(join(dist, 'fixed.wasm')));
    expect(stamped).toMatchObject({ vendor: 'ACME', version: null, licenses: null });
  });
});

describe('the default package manifest', () => {
  it.skipIf(nearestPackageJson(scratch) !== undefined)(
    'fails the build when there is no package.json in the root or above it, saying what to do',
    async () => {
      const root = join(scratch, 'no-manifest');
      mkdirSync(root);
      writeFileSync(join(root, 'index.html'), '<!doctype html>\n');
      await expect(buildApp(vite7.build as ViteBuild, root)).rejects.toThrow(
        `no package.json in ${root} or above it: give the plugin's from option, or from: false`,
      );
    },
  );
});

describe('docs/vite.md', () => {
  it('builds the app with the vite.config.js that it shows, as written', async () => {
    const { fences } = splitFences(readFileSync(join(REPO_ROOT, 'docs', 'vite.md'), 'utf8'));
    if (!existsSync(join(REPO_ROOT, 'dist', 'vite', 'index.js')))
      throw new Error('dist/ is missing: run `npm run build` (npm test does it) before this test');
    const sample = fences.find((fence) => fence.lines[0] === '// vite.config.js');
    expect(sample, 'a ```js block that starts with // vite.config.js').toBeDefined();
    const { root, head } = viteApp();
    writeFileSync(join(root, 'vite.config.js'), sample?.lines.join('\n') ?? '');
    // wasm-meta installed in the app, as npm would: this checkout, built (npm test builds first).
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(REPO_ROOT, join(root, 'node_modules', 'wasm-meta'), 'dir');
    await vite7.build({ root, logLevel: 'silent' });
    const assets = join(root, 'dist', 'assets');
    const stamped = readMetadata(readFileSync(join(assets, emitted(assets, 'hello-', '.wasm'))));
    expect(stamped).toMatchObject({ name: 'hello-app', version: '1.2.3', revision: head });
  });
});
