import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/shared.js';

describe('architecture', () => {
  it('bundles the library core for browsers: it imports no Node.js built-ins', async () => {
    const result = await build({
      entryPoints: ['src/index.ts'],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      alias: { '#inflate': './src/sections/inflate-browser.ts' },
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.startsWith('src/node/') || input.startsWith('src/cli/'))).toBe(false);
    expect(inputs.filter((input) => input.startsWith('src/')).length).toBeGreaterThan(10);
    expect(result.errors).toEqual([]);
  });
});

/**
 * The inputs that each entry loads before any dynamic import runs: its own chunk and the
 * chunks it imports statically, in a build split as the command line is.
 */
async function staticInputs(entries: string[]): Promise<Map<string, string[]>> {
  const result = await build({
    entryPoints: entries,
    absWorkingDir: REPO_ROOT,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
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
  it('loads the code of add, migrate, check and manifests only when those commands run', async () => {
    const eager = (await staticInputs(['src/cli/main.ts'])).get('src/cli/main.ts') ?? [];
    expect(eager).toContain('src/cli/main.ts');
    for (const lazy of [
      'src/edit/rewrite.ts',
      'src/node/manifest.ts',
      'src/node/write-file.ts',
      'src/read.ts',
      'src/format/table.ts',
      'src/cli/program.ts',
    ]) {
      expect(eager).not.toContain(lazy);
    }
    expect(
      eager.some((input) => /node_modules\/(smol-toml|hosted-git-info|minimatch|fflate|commander)\//.test(input)),
    ).toBe(false);
  });

  it('does not load registry, HTTP or manifest code for show and add, nor the argument parser', async () => {
    const entries = ['src/cli/main.ts', 'src/cli/show.ts', 'src/cli/add.ts'];
    const closures = await staticInputs(entries);
    for (const entry of entries.slice(1)) {
      const inputs = [...(closures.get('src/cli/main.ts') ?? []), ...(closures.get(entry) ?? [])];
      expect(inputs).toContain(entry);
      const registryCode = inputs.filter((input) =>
        /^src\/(oci\/|node\/(oci|credentials|wkg-config|progress|sha256|layer-file)|cli\/registry|manifest\/(?!kinds\.ts))/.test(
          input,
        ),
      );
      expect(registryCode, entry).toEqual([]);
      expect(inputs.filter((input) => /node_modules\/(commander|smol-toml|hosted-git-info)\//.test(input))).toEqual([]);
    }
  });
});

describe('version', () => {
  it('records the version of package.json', async () => {
    const { VERSION } = await import('../src/version.js');
    const manifest = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { version: string };
    expect(VERSION).toBe(manifest.version);
  });
});
