import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { TEMP_FILE_PATTERN } from '../../src/node/write-file.js';
import { largeInput } from '../support/large-inputs.js';
import { REPO_ROOT } from '../support/shared.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-kill-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Runs `wasm-meta add --in-place`, killing it with SIGKILL after `delay` ms (never, if
 * `undefined`); resolves to how it ended and how long it ran.
 */
function runAndKill(path: string, delay: number | undefined): Promise<{ end: 'finished' | 'killed'; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'wasm-meta.js'), 'add', path, '--in-place', '--authors', 'killer'],
      {
        stdio: 'ignore',
      },
    );
    const timer = delay === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), delay);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - start;
      if (signal === 'SIGKILL') resolve({ end: 'killed', ms });
      else if (code === 0) resolve({ end: 'finished', ms });
      else reject(new Error(`wasm-meta exited with ${code}`));
    });
  });
}

describe('kill -9 while writing', () => {
  it('leaves the target holding the old or the new bytes, and only documented temporary files', async () => {
    const path = join(scratch, 'target.wasm');
    copyFileSync(largeInput('data-64mib'), path);
    chmodSync(path, 0o644);
    const original = new Uint8Array(readFileSync(path));
    const oldHash = sha256(original);
    const newHash = sha256(joinChunks(applyEdit(original, { authors: 'killer' }).chunks));

    // How long a whole run takes here; kills land anywhere in it. The machine may be busy, and
    // more or less so as the test goes on: each run that finishes updates the estimate.
    const first = await runAndKill(path, undefined);
    expect(first.end).toBe('finished');
    let duration = first.ms;
    expect(sha256(readFileSync(path))).toBe(newHash);

    const outcomes = { killed: 0, finished: 0, old: 0, new: 0, temporaryFiles: 0 };
    let seed = 20261128;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Sixteen runs, and more (up to 64) until a kill has landed before the end of a run.
    let runs = 0;
    for (; runs < 16 || (outcomes.killed === 0 && runs < 64); runs++) {
      // Start from the old bytes each time, so that a kill can be seen to leave them.
      const restore = openSync(path, 'w');
      writeSync(restore, original);
      closeSync(restore);
      const run = await runAndKill(path, random() * duration * 1.2);
      outcomes[run.end]++;
      if (run.end === 'finished') duration = run.ms;
      const hash = sha256(readFileSync(path));
      expect([oldHash, newHash]).toContain(hash);
      outcomes[hash === oldHash ? 'old' : 'new']++;
      for (const name of readdirSync(scratch).filter((n) => n !== 'target.wasm')) {
        expect(name).toMatch(TEMP_FILE_PATTERN);
        unlinkSync(join(scratch, name));
        outcomes.temporaryFiles++;
      }
    }
    expect(outcomes.killed).toBeGreaterThan(0);
    expect(outcomes.old + outcomes.new).toBe(runs);
    console.log(
      `kill test: ${JSON.stringify(outcomes)} in ${runs} runs (the last full run took ${Math.round(duration)} ms)`,
    );
  });
});
