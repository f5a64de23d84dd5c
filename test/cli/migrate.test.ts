import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMetadata } from '../../src/read.js';
import { runCli } from '../support/cli.js';
import { custom, module } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-migrate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, bytes: number[]): string {
  const path = join(scratch, name);
  writeFileSync(path, Uint8Array.from(bytes));
  return path;
}

describe('wasm-meta migrate', () => {
  it('migrates in place and prints what it changed', () => {
    const registry = custom('registry-metadata', '{"license":"MIT","categories":["x"]}');
    const author = custom('author', 'Ana');
    const path = write('legacy.wasm', module(registry, author));
    const result = runCli(['migrate', path, '--in-place']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        'authors: set to "Ana" (from the author section)',
        'licenses: set to "MIT" (from registry-metadata)',
        'dropped: registry-metadata categories (no per-field section)',
        `removed: the registry-metadata section (${registry.length} bytes at 0x8)`,
        `removed: the author section (${author.length} bytes at 0x${(8 + registry.length).toString(16)})`,
        '',
      ].join('\n'),
    );
    const tree = readMetadata(readFileSync(path));
    expect(tree).toMatchObject({ authors: 'Ana', licenses: 'MIT', legacy: null });
  });

  it('leaves a file with nothing to migrate untouched and says so', () => {
    const path = write('modern.wasm', module(custom('authors', 'Ana')));
    const before = statSync(path);
    const result = runCli(['migrate', path, '--in-place']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`nothing to migrate: ${path} has no legacy author or registry-metadata section\n`);
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(path).ino).toBe(before.ino);
  });

  it('writes the binary to stdout and the report to stderr', () => {
    const path = write('to-stdout.wasm', module(custom('author', 'Ana')));
    const result = runCli(['migrate', path]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^authors: set to "Ana"/);
    expect(readMetadata(result.stdoutBytes).authors).toBe('Ana');
  });

  it('exits 1 without writing when a value cannot be migrated', () => {
    const bytes = module(custom('registry-metadata', '{"links":[{"ty":"Repository","value":"not a url"}]}'));
    const path = write('bad.wasm', bytes);
    const result = runCli(['migrate', path, '--in-place']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /source: cannot migrate from registry-metadata link Repository: "not a url" is not an absolute URL/,
    );
    expect(readFileSync(path)).toEqual(Buffer.from(bytes));
  });
});
