import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { TEMP_FILE_PATTERN } from '../../src/node/write-file.js';
import { REPO_ROOT } from '../support/shared.js';
import { writeLargeModule } from '../support/files.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-kill-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Runs `wasm-meta add --in-place`, killing it with SIGKILL after `delay` ms; resolves to how it ended. */
function runAndKill(path: string, delay: number): Promise<'finished' | 'killed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'wasm-meta.js'), 'add', path, '--in-place', '--authors', 'killer'],
      {
        stdio: 'ignore',
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), delay);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`wasm-meta exited with ${code}`));
    });
  });
}

describe('kill -9 while writing', () => {
  it('leaves the target holding the old or the new bytes, and only documented temporary files', async () => {
    const size = 64 * 1024 * 1024;
    const path = join(scratch, 'target.wasm');
    writeLargeModule(path, 11, size);
    const original = new Uint8Array(readFileSync(path));
    const oldHash = sha256(original);
    const newHash = sha256(joinChunks(applyEdit(original, { authors: 'killer' }).chunks));

    // How long a whole run takes here; kills land anywhere in it.
    const start = performance.now();
    expect(await runAndKill(path, 60_000)).toBe('finished');
    const duration = performance.now() - start;
    expect(sha256(readFileSync(path))).toBe(newHash);

    const outcomes = { killed: 0, finished: 0, old: 0, new: 0, temporaryFiles: 0 };
    let seed = 20261128;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 16; run++) {
      // Start from the old bytes each time, so that a kill can be seen to leave them.
      const restore = openSync(path, 'w');
      writeSync(restore, original);
      closeSync(restore);
      outcomes[await runAndKill(path, random() * duration * 1.2)]++;
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
    expect(outcomes.old + outcomes.new).toBe(16);
    console.log(`kill test: ${JSON.stringify(outcomes)} (a full run took ${Math.round(duration)} ms)`);
  }, 120_000);
});
