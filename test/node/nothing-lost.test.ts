import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { custom, module, nameSubsection } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-lost-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sample = Uint8Array.from(module(custom('name', nameSubsection('app')), custom('licenses', 'MIT')));

/**
 * Whether this machine lets the tests mount a small tmpfs (root, as in CI): the way to give a
 * command a full disk or a read-only file system. Says why not when it cannot.
 */
function canMount(): boolean {
  const dir = mkdtempSync(join(scratch, 'probe-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status === 0;
  if (mounted) spawnSync('umount', [dir]);
  else if (process.env['WASM_META_REQUIRE_MOUNT'])
    throw new Error('mounting a tmpfs is required (WASM_META_REQUIRE_MOUNT is set) but failed');
  else console.warn('skipping the full-disk and read-only tests: mounting a tmpfs needs root (CI runs them)');
  return mounted;
}

/** Runs `f` in a fresh tmpfs of `kib` KiB, unmounted afterwards. */
function inTmpfs(kib: number, f: (dir: string) => void): void {
  const dir = mkdtempSync(join(scratch, 'fs-'));
  expect(spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir]).status).toBe(0);
  try {
    f(dir);
  } finally {
    spawnSync('umount', [dir]);
  }
}

describe('a failed command leaves its target as it was', () => {
  it('add with a bad value or a bad input does not touch an existing -o target', () => {
    const input = join(scratch, 'in.wasm');
    const output = join(scratch, 'out.wasm');
    writeFileSync(input, sample);
    writeFileSync(output, 'the bytes from before');
    expect(runCli(['add', input, '-o', output, '--licenses', 'MIT OR (']).status).toBe(1);
    writeFileSync(join(scratch, 'cut.wasm'), sample.subarray(0, sample.length - 3));
    expect(runCli(['add', join(scratch, 'cut.wasm'), '-o', output, '--authors', 'x']).status).toBe(1);
    expect(readFileSync(output, 'utf8')).toBe('the bytes from before');
    expect(readdirSync(scratch).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  const mount = canMount();

  it.runIf(mount)('add --in-place on a full disk fails cleanly, leaving the file and no temporary file', () => {
    inTmpfs(256, (dir) => {
      // A file of 160 KiB in a 256 KiB file system: there is no room for the edited copy.
      const big = Uint8Array.from(
        module(custom('name', nameSubsection('big')), custom('padding', new Uint8Array(160 * 1024))),
      );
      const target = join(dir, 'big.wasm');
      writeFileSync(target, big);
      const result = runCli(['add', target, '--in-place', '--authors', 'Full Disk']);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/no space left on device/i);
      expect(readFileSync(target)).toEqual(Buffer.from(big));
      expect(readdirSync(dir)).toEqual(['big.wasm']);
    });
  });

  it.runIf(mount)('add --in-place on a read-only file system fails cleanly, leaving the file', () => {
    inTmpfs(256, (dir) => {
      const target = join(dir, 'app.wasm');
      writeFileSync(target, sample);
      expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);
      const result = runCli(['add', target, '--in-place', '--authors', 'Nobody']);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/read-only file system/i);
      expect(readFileSync(target)).toEqual(Buffer.from(sample));
      expect(readdirSync(dir)).toEqual(['app.wasm']);
    });
  });
});
