import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, type Metafile, build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';
import { bytes, custom, module } from './support/wasm.js';

describe('architecture', () => {
  it('bundles the library core for browsers: it imports no Node.js built-ins', async () => {
    const result = await build({
      entryPoints: ['src/index.ts'],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      alias: { '#inflate': './src/sections/inflate-browser.ts', '#spdx-lists': './src/values/spdx-lists-browser.ts' },
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.startsWith('src/node/') || input.startsWith('src/cli/'))).toBe(false);
    expect(inputs.filter((input) => input.startsWith('src/')).length).toBeGreaterThan(10);
    expect(result.errors).toEqual([]);
  });

  it("lets a consumer bundle the built package for browsers with no alias or polyfill, mapPackageJson's hosted-git-info and buildSbom included", async () => {
    // A project that depends on wasm-meta, bundled as a browser app would be (dist/ as published).
    const project = mkdtempSync(join(tmpdir(), 'wasm-meta-consumer-'));
    try {
      mkdirSync(join(project, 'node_modules'));
      symlinkSync(REPO_ROOT, join(project, 'node_modules', 'wasm-meta'), 'dir');
      const consumer = (source: string, dir = project) => {
        return build({
          stdin: { contents: source, resolveDir: dir },
          absWorkingDir: project,
          bundle: true,
          platform: 'browser',
          format: 'esm',
          outfile: 'out.js',
          metafile: true,
          logLevel: 'silent',
        }).catch((error: { errors: Array<{ text: string }> }) => error);
      };
      // What the core would meet without the bundle: published hosted-git-info 9 needs Node's url.
      const raw = await consumer("export { default } from 'hosted-git-info';", REPO_ROOT);
      expect('errors' in raw && raw.errors.map((e) => e.text).join('\n')).toMatch(/Could not resolve "url"/);

      const result = await consumer(
        "export { mapPackageJson, readMetadata, applyEdit, annotationsFor, addMetadataToBytes, buildSbom } from 'wasm-meta';",
      );
      expect('errors' in result ? result.errors : []).toEqual([]);
      const inputs = Object.keys((result as { metafile: Metafile }).metafile.inputs);
      expect(inputs.some((input) => input.endsWith('/dist/vendor/hosted-git-info.js'))).toBe(true);
      expect(inputs.filter((input) => /node_modules\/hosted-git-info\//.test(input))).toEqual([]);
      // buildSbom's CycloneDX library, in its web build.
      expect(inputs.some((input) => input.includes('/@cyclonedx/cyclonedx-library/dist.web/'))).toBe(true);
      // The browser bundle works: npm's shortcuts and scp-like URLs become browsable URLs.
      const { mapPackageJson } = (await import(pathToFileURL(join(project, 'out.js')).href)) as {
        mapPackageJson: (json: unknown) => { edit: { source?: string } };
      };
      for (const repository of ['github:acme/hello', 'acme/hello', 'git@github.com:acme/hello.git'])
        expect(mapPackageJson({ repository }).edit.source).toBe('https://github.com/acme/hello');
      expect(mapPackageJson({ repository: 'gitlab:acme/hello' }).edit.source).toBe('https://gitlab.com/acme/hello');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

/** The module graph (esbuild's metafile) of an in-memory Node build of the sources with `options`. */
async function analyse(options: BuildOptions): Promise<Metafile> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Optional peers of the CycloneDX library (XML), which it requires only when they are installed.
    external: ['xmlbuilder2', 'libxmljs2'],
    ...options,
  });
  return result.metafile as Metafile;
}

/**
 * The inputs that each entry loads before any dynamic import runs: its own chunk and the
 * chunks it imports statically, in a build split as the command line is.
 */
async function staticInputs(entries: string[]): Promise<Map<string, string[]>> {
  const metafile = await analyse({ entryPoints: entries, splitting: true });
  const outputs = metafile.outputs;
  const closures = new Map<string, string[]>();
  for (const entry of entries) {
    const inputs: string[] = [];
    const pending = Object.keys(outputs).filter((name) => outputs[name]?.entryPoint === entry);
    const seen = new Set<string>();
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      const output = outputs[name];
      inputs.push(...Object.keys(output?.inputs ?? {}));
      for (const imported of output?.imports ?? [])
        if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
    closures.set(entry, inputs);
  }
  return closures;
}

describe('lazy loading', () => {
  it('loads no command code before the command is known', async () => {
    const eager = (await staticInputs(['src/cli/main.ts'])).get('src/cli/main.ts') ?? [];
    expect(eager).toContain('src/cli/main.ts');
    for (const lazy of [
      'src/cli/show.ts',
      'src/cli/add.ts',
      'src/cli/command.ts',
      'src/edit/rewrite.ts',
      'src/node/package-manifest.ts',
      'src/node/write-file.ts',
      'src/read.ts',
      'src/format/table.ts',
    ]) {
      expect(eager).not.toContain(lazy);
    }
    expect(eager.some((input) => input.includes('node_modules/'))).toBe(false);
  });

  it('does not load registry, HTTP or package-manifest code for show and add', async () => {
    const entries = ['src/cli/main.ts', 'src/cli/show.ts', 'src/cli/add.ts'];
    const closures = await staticInputs(entries);
    for (const entry of entries.slice(1)) {
      const inputs = [...(closures.get('src/cli/main.ts') ?? []), ...(closures.get(entry) ?? [])];
      expect(inputs).toContain(entry);
      expect(inputs).toContain('src/cli/command.ts');
      const registryCode = inputs.filter((input) =>
        /^src\/(oci\/|binary\/sequential-reading|node\/(oci|credentials|wkg-config|progress|sha256|layer-file|package-manifest)|package-manifest\/(?!kinds\.ts))/.test(
          input,
        ),
      );
      expect(registryCode, entry).toEqual([]);
      expect(
        inputs.filter((input) => /node_modules\/(smol-toml|hosted-git-info|minimatch|@cyclonedx)\//.test(input)),
      ).toEqual([]);
      expect(inputs.filter((input) => input.startsWith('src/sbom/'))).toEqual([]);
    }
  });

  it('loads the CycloneDX library only when an SBOM is built, not with the library or the sbom command', async () => {
    const entries = ['src/index.ts', 'src/node/index.ts', 'src/cli/sbom.ts'];
    const closures = await staticInputs(entries);
    for (const entry of entries) {
      const inputs = closures.get(entry) ?? [];
      expect(inputs, entry).toContain('src/sbom/cyclonedx.ts');
      expect(
        inputs.filter((input) => input.includes('node_modules/@cyclonedx/')),
        entry,
      ).toEqual([]);
    }
    // It is loaded, by a dynamic import, when buildSbom runs.
    const all = await analyse({ entryPoints: ['src/cli/sbom.ts'], splitting: true });
    expect(Object.keys(all.inputs).some((input) => input.includes('node_modules/@cyclonedx/cyclonedx-library/'))).toBe(
      true,
    );
  });

  it('show loads none of the SPDX lists (spdx-*) for a file without a licences section', () => {
    // A module-load trace of the built command: the ES modules it resolves and what it requires.
    const dir = mkdtempSync(join(tmpdir(), 'wasm-meta-trace-'));
    try {
      const trace = join(dir, 'trace.txt');
      writeFileSync(
        join(dir, 'hooks.mjs'),
        `import { appendFileSync } from 'node:fs';
        export async function resolve(specifier, context, next) {
          const result = await next(specifier, context);
          appendFileSync(${JSON.stringify(trace)}, result.url + '\\n');
          return result;
        }`,
      );
      writeFileSync(
        join(dir, 'preload.mjs'),
        `import { createRequire, register } from 'node:module';
        import { appendFileSync } from 'node:fs';
        register(new URL('./hooks.mjs', import.meta.url));
        const require = createRequire(import.meta.url);
        process.on('exit', () => appendFileSync(${JSON.stringify(trace)}, Object.keys(require.cache).join('\\n') + '\\n'));`,
      );
      const env = { ...process.env, NODE_OPTIONS: `--import ${pathToFileURL(join(dir, 'preload.mjs')).href}` };
      const loaded = (file: string): string[] => {
        writeFileSync(trace, '');
        const result = runCli(['show', file], { env });
        expect(result.stderr).toBe('');
        return readFileSync(trace, 'utf8').split('\n');
      };
      const plain = join(dir, 'plain.wasm');
      writeFileSync(plain, bytes(module(custom('version', '1.0.0'))));
      const withLicence = join(dir, 'licensed.wasm');
      writeFileSync(withLicence, bytes(module(custom('licenses', 'MIT OR Apache-2.0'))));

      const spdx = (files: string[]) => files.filter((file) => /[\\/]spdx-[\w-]+[\\/]/.test(file));
      const plainLoads = loaded(plain);
      expect(plainLoads.some((file) => file.endsWith('/dist/bundle/show.js'))).toBe(true);
      expect(spdx(plainLoads)).toEqual([]);
      // The trace sees them when a licence is checked.
      expect(spdx(loaded(withLicence))).toEqual(
        expect.arrayContaining([expect.stringMatching(/spdx-license-ids[\\/]index\.json$/)]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the command line so that a process has one error class', () => {
    // add and check load package-manifest.js for --from: the three share errors.js.
    const bundle = (name: string) => readFileSync(`${REPO_ROOT}/dist/bundle/${name}.js`, 'utf8');
    for (const name of ['add', 'check', 'package-manifest']) {
      expect(bundle(name), name).toContain('"./errors.js"');
      expect(bundle(name), name).not.toContain('"WasmMetaError"');
    }
    expect(bundle('errors')).toContain('"WasmMetaError"');
    // show, migrate and annotations load no other bundle, and carry their own copy.
    const loadsBundle = /from\s*"\.\/[\w-]+\.js"|import\("\.\/[\w-]+\.js"\)/;
    for (const name of ['show', 'migrate', 'annotations']) expect(bundle(name), name).not.toMatch(loadsBundle);
    // The registry commands share chunks (dist/bundle/chunks/): of all a command loads, one file
    // defines the class.
    for (const name of ['push', 'pull', 'inspect', 'attach', 'referrers', 'sbom']) {
      expect(bundle(name), name).not.toMatch(loadsBundle);
      const loaded = new Set<string>();
      const pending = [`${name}.js`];
      while (pending.length > 0) {
        const file = pending.pop() as string;
        if (loaded.has(file)) continue;
        loaded.add(file);
        const text = readFileSync(`${REPO_ROOT}/dist/bundle/${file}`, 'utf8');
        for (const [, chunk] of text.matchAll(/"\.\.?\/(?:chunks\/)?([\w-]+\.js)"/g)) pending.push(`chunks/${chunk}`);
      }
      const defining = [...loaded].filter((file) =>
        readFileSync(`${REPO_ROOT}/dist/bundle/${file}`, 'utf8').includes('"WasmMetaError"'),
      );
      expect(defining, name).toHaveLength(1);
    }
  });
});

describe('built-ins in the command-line bundles', () => {
  /** The names that src/ imports from each built-in (`import { a, b as c } from 'node:x'`). */
  const importedNames = (): Map<string, Set<string>> => {
    const names = new Map<string, Set<string>>();
    const files = readdirSync(`${REPO_ROOT}/src`, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    for (const file of files) {
      const text = readFileSync(`${REPO_ROOT}/src/${file}`, 'utf8');
      for (const [, list, id] of text.matchAll(/^import (?!type )\{([^}]*)\} from '(node:[\w/]+)';/gm)) {
        const set = names.get(id as string) ?? new Set<string>();
        for (const entry of (list as string).split(',').map((word) => word.trim()))
          if (entry !== '' && !entry.startsWith('type ')) set.add(entry.split(/\s+as\s+/)[0] as string);
        names.set(id as string, set);
      }
    }
    return names;
  };

  it('read from a built-in only the exports that the code imports (never a deprecated one, such as fs.F_OK)', () => {
    // Every bundle is imported in a process whose built-ins record which of their properties are
    // read: reading every export, as a facade generated from the building Node.js's exports did,
    // read fs.F_OK, a deprecated getter on Node.js 24 (DEP0176).
    const dir = mkdtempSync(join(tmpdir(), 'wasm-meta-builtins-'));
    try {
      const preload = join(dir, 'record.mjs');
      writeFileSync(
        preload,
        `const reads = {};
        const builtin = process.getBuiltinModule;
        process.getBuiltinModule = (id) => new Proxy(builtin(id), {
          get(target, key, receiver) {
            if (typeof key === 'string') (reads[id] ??= []).push(key);
            return Reflect.get(target, key, receiver);
          },
        });
        process.on('exit', () => process.stdout.write(JSON.stringify(reads)));`,
      );
      const bundles = readdirSync(`${REPO_ROOT}/dist/bundle`, { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.js'),
      );
      expect(bundles.length).toBeGreaterThan(10);
      const script = `for (const f of ${JSON.stringify(bundles)}) await import('${pathToFileURL(`${REPO_ROOT}/dist/bundle/`).href}' + f);`;
      const child = spawnSync(
        process.execPath,
        ['--import', pathToFileURL(preload).href, '--input-type=module', '-e', script],
        {
          encoding: 'utf8',
        },
      );
      expect(child.stderr).toBe('');
      const reads = JSON.parse(child.stdout) as Record<string, string[]>;
      // The recording works: the bundles do read what they use.
      expect(reads['node:fs']).toContain('readSync');
      const imported = importedNames();
      for (const [id, keys] of Object.entries(reads)) {
        const unused = keys.filter((key) => !imported.get(id)?.has(key));
        expect(unused, id).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs add and show without a deprecation warning (Node.js 22 and later would show DEP0176)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-meta-deprecation-'));
    try {
      const input = join(dir, 'in.wasm');
      writeFileSync(input, bytes(module()));
      const env = { ...process.env, NODE_OPTIONS: '--throw-deprecation --pending-deprecation' };
      const add = runCli(['add', '--version', '1.0.0', input, '-o', join(dir, 'out.wasm')], { env });
      expect(add.stderr).not.toMatch(/Deprecation|DEP0/);
      expect(add.status).toBe(0);
      const show = runCli(['show', join(dir, 'out.wasm')], { env });
      expect(show.stderr).not.toMatch(/Deprecation|DEP0/);
      expect(show.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('module graph', () => {
  it('has no import cycles in src/', async () => {
    const metafile = await analyse({
      entryPoints: [
        'src/index.ts',
        'src/node/index.ts',
        'src/vite/index.ts',
        'src/cli/main.ts',
        'src/cli/*.ts',
        'src/action/*.ts',
      ],
      packages: 'external',
      alias: { '#inflate': './src/sections/inflate-node.ts', '#spdx-lists': './src/values/spdx-lists-node.ts' },
    });
    const graph = new Map<string, string[]>();
    for (const [input, { imports }] of Object.entries(metafile.inputs)) {
      if (input.startsWith('src/'))
        graph.set(
          input,
          imports.map((i) => i.path).filter((p) => p.startsWith('src/')),
        );
    }
    expect(graph.size).toBeGreaterThan(60);
    expect(findCycle(graph)).toBeUndefined();
  });
});

/** A cycle of the graph, as the modules on it, or `undefined` (depth-first search). */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('version', () => {
  it('records the version of package.json', async () => {
    const { VERSION } = await import('../src/version.js');
    const manifest = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { version: string };
    expect(VERSION).toBe(manifest.version);
  });
});
