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

describe('lazy loading', () => {
  it('loads the code of add, migrate, check and manifests only when those commands run', async () => {
    const result = await build({
      entryPoints: ['src/cli/main.ts'],
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
    // What the entry chunk loads: its own inputs and those of chunks it imports statically.
    const outputs = result.metafile.outputs;
    const eager: string[] = [];
    const pending = Object.keys(outputs).filter((name) => outputs[name]?.entryPoint === 'src/cli/main.ts');
    const seen = new Set<string>();
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      const output = outputs[name];
      eager.push(...Object.keys(output?.inputs ?? {}));
      for (const imported of output?.imports ?? [])
        if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
    expect(eager).toContain('src/cli/main.ts');
    for (const lazy of [
      'src/edit/rewrite.ts',
      'src/node/manifest.ts',
      'src/node/write-file.ts',
      'src/read.ts',
      'src/format/table.ts',
    ]) {
      expect(eager).not.toContain(lazy);
    }
    expect(eager.some((input) => /node_modules\/(smol-toml|hosted-git-info|minimatch|fflate)\//.test(input))).toBe(
      false,
    );
  });
});

describe('version', () => {
  it('records the version of package.json', async () => {
    const { VERSION } = await import('../src/version.js');
    const manifest = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { version: string };
    expect(VERSION).toBe(manifest.version);
  });
});
