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
