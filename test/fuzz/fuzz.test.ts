import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HANG_MS } from '../support/hang.js';
import { REPO_ROOT } from '../support/shared.js';

const FUZZ = join(REPO_ROOT, 'fuzz', 'fuzz.mjs');
const REGRESSIONS = join(REPO_ROOT, 'test', 'fixtures', 'fuzz');
const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-fuzz-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs the fuzzer with `args`; generated inputs only, unless `--corpus` is given. The tests
 * check results, not seconds: all but the test of the time limit itself pass
 * `--no-time-limit`, and the fuzzer is killed only if it has not ended after HANG_MS.
 */
function fuzz(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [FUZZ, '--corpus', join(tmpdir(), 'no-corpus-here'), ...args], {
    encoding: 'utf8',
    timeout: HANG_MS,
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
    throw new Error(`fuzz ${args.join(' ')}: no exit after ${HANG_MS / 1000} s`);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch directory with an operations module made of `body` (it gets `bytes`). */
function plantedOperations(body: string): { dir: string; operations: string } {
  const dir = mkdtempSync(join(scratch, 'case-'));
  const operations = join(dir, 'operations.mjs');
  writeFileSync(operations, `export function runOperations(bytes) {\n${body}\nreturn [];\n}\n`);
  return { dir, operations };
}

/** The JSON descriptions of the failures saved in `dir`. */
function savedFailures(dir: string): Array<Record<string, unknown>> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);
}

describe('fuzz regressions', () => {
  it('replays every input that once failed, each now read, shown and edited without a failure', () => {
    const inputs = readdirSync(REGRESSIONS).filter((f) => f.endsWith('.wasm'));
    expect(inputs.length).toBeGreaterThan(0);
    // Results, not seconds: `npm run fuzz` holds cases to the time limit, `npm test` does not.
    const result = fuzz(['--inputs', REGRESSIONS, '--no-time-limit']);
    expect(result.stdout.trim().split('\n').sort()).toEqual(inputs.map((f) => `${f}: ok`).sort());
    expect(result.status).toBe(0);
  });

  it('runs a seeded batch of generated inputs without a failure', () => {
    const { dir } = plantedOperations('');
    const result = fuzz([
      ...['--iterations', '150', '--seed', '20261128', '--no-time-limit'],
      ...['--crashes', join(dir, 'crashes')],
    ]);
    expect(result.stdout).toMatch(/150 iterations .*no failures; \d+ inputs read, \d+ edited/);
    expect(result.status).toBe(0);
  });
});

describe('the fuzz harness', () => {
  it('saves, describes and shrinks an input that makes an operation throw', () => {
    const { dir, operations } = plantedOperations(
      "if (bytes.length > 100) { const e = new TypeError('planted'); e.operation = 'read'; throw e; }",
    );
    const crashes = join(dir, 'crashes');
    const result = fuzz([
      ...['--iterations', '20', '--seed', '5', '--no-time-limit'],
      ...['--operations', operations, '--crashes', crashes],
    ]);
    expect(result.status).toBe(1);
    const [failure, ...others] = savedFailures(crashes);
    expect(others).toEqual([]);
    expect(failure).toMatchObject({ kind: 'exception', operation: 'read', name: 'TypeError', message: 'planted' });
    const saved = readdirSync(crashes).find((f) => f.endsWith('.wasm')) as string;
    const size = readFileSync(join(crashes, saved)).length;
    expect(size).toBe(failure?.['size']);
    expect(size).toBeGreaterThan(100);
    expect(size).toBeLessThan(failure?.['originalSize'] as number);
  });

  it('reports a case that runs out of its heap, and goes on with a new worker', () => {
    const { dir, operations } = plantedOperations(
      'if (bytes[4] === 0x0d) { const hog = []; for (;;) hog.push(new Array(100000).fill(bytes.length)); }',
    );
    const crashes = join(dir, 'crashes');
    const result = fuzz([
      ...['--iterations', '6', '--seed', '1', '--no-time-limit', '--heap', '64'],
      ...['--operations', operations, '--crashes', crashes],
    ]);
    expect(result.status).toBe(1);
    expect(savedFailures(crashes).map((f) => f['kind'])).toEqual(['memory']);
    expect(result.stdout).toMatch(/^fuzz: 6 iterations/m);
  });

  it('reports a case whose array buffers take the process over its memory bound', () => {
    const { dir, operations } = plantedOperations(
      'const keep = []; for (let i = 0; i < 32; i++) keep.push(new Uint8Array(16 * 1024 * 1024).fill(1)); void keep;',
    );
    const crashes = join(dir, 'crashes');
    const result = fuzz([
      ...['--iterations', '1', '--seed', '1', '--no-time-limit', '--rss', '300'],
      ...['--operations', operations, '--crashes', crashes],
    ]);
    expect(result.status).toBe(1);
    expect(savedFailures(crashes)).toEqual([
      expect.objectContaining({ kind: 'memory', message: expect.stringMatching(/reached \d+ MiB/) }),
    ]);
  });

  it('reports a case that does not finish, and one over the time limit', () => {
    // Components never finish; modules take 300 ms of wall-clock time, however busy the machine,
    // against a time limit of 200 ms. The hang bound is far above 300 ms, so that a slow case on
    // a busy machine is not taken for a hang. Seed 2 gives a module, then a component.
    const { dir, operations } = plantedOperations(
      'const until = Date.now() + (bytes[4] === 0x0d ? 1e9 : 300); while (Date.now() < until);',
    );
    const crashes = join(dir, 'crashes');
    const result = fuzz([
      ...['--iterations', '2', '--seed', '2', '--time-limit', '200', '--hang', '10000'],
      ...['--operations', operations, '--crashes', crashes],
    ]);
    expect(result.status).toBe(1);
    expect(new Set(savedFailures(crashes).map((f) => f['kind']))).toEqual(new Set(['hang', 'slow']));
  });

  it('holds no case to a time limit with --no-time-limit, which is how npm test runs it', () => {
    // A limit of 0 ms makes every case over it, whatever the machine's speed: no case needs to
    // take any particular time for the flag's effect to show.
    const run = (...extra: string[]) => {
      const crashes = join(mkdtempSync(join(scratch, 'case-')), 'crashes');
      return {
        result: fuzz(['--iterations', '3', '--seed', '7', '--time-limit', '0', ...extra, '--crashes', crashes]),
        crashes,
      };
    };
    const limited = run();
    expect(limited.result.status).toBe(1);
    expect(savedFailures(limited.crashes).map((f) => f['kind'])).toContain('slow');
    const unlimited = run('--no-time-limit');
    expect(unlimited.result.stdout).toMatch(/^fuzz: 3 iterations .*no failures/m);
    expect(unlimited.result.status).toBe(0);
  });

  it('refuses unknown options with exit code 2', () => {
    const result = fuzz(['--iterations', 'many']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--iterations needs a whole number');
  });
});
