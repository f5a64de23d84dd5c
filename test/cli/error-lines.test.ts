import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ERROR_PREFIX } from '../../src/cli/error-line.js';
import { COMMANDS } from '../../src/cli/main.js';
import { reportInternalError } from '../../src/cli/run.js';
import { type CliResult, runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/shared.js';
import { custom, module } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const good = join(scratch, 'good.wasm');
writeFileSync(good, Uint8Array.from(module(custom('licenses', 'MIT'))));
const broken = join(scratch, 'broken.wasm');
writeFileSync(broken, Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, 40, 1]));
const missing = join(scratch, 'missing.wasm');
const out = join(scratch, 'out.wasm');

/** Every line on standard error reports the error, and starts so; nothing goes to standard output. */
function expectErrorLines(result: CliResult, status: number): void {
  expect(result.status).toBe(status);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toBe('');
  for (const line of result.stderr.trimEnd().split('\n')) expect(line.startsWith(ERROR_PREFIX), line).toBe(true);
}

describe('every error line starts with "wasm-meta: error:"', () => {
  it.each([
    // Usage errors: an unknown option, on every command.
    ...Object.keys(COMMANDS).map((command): [string[], number] => [[command, '--bogus'], 2]),
    // A missing argument.
    [['push', good], 2],
    [['pull'], 2],
    [['inspect'], 2],
    // An unknown command, and none.
    [['frobnicate'], 2],
    [[], 2],
    // Bad flag values: usage errors where the parser knows the form, bad input for the value checks.
    [['add', good, '--nested', 'x', '-o', out], 2],
    [['annotations', good, '--format', 'yaml'], 2],
    [['check', good, '--require', 'colour'], 2],
    [['push', good, 'localhost:5000/a/b:1', '--annotation', 'nokey'], 2],
    [['add', good, '-o', out, '--in-place'], 2],
    [['add', good, '-o', out, '--licenses', 'GPL-2.0'], 1],
    [['add', good, '-o', out, '--created', '2026-01-01'], 1],
    [['push', good, 'localhost:5000/Acme/b:1'], 1],
    // Bad input: a broken binary, a missing file.
    [['show', broken], 1],
    [['add', broken, '-o', out, '--licenses', 'MIT'], 1],
    [['check', missing], 1],
    [['annotations', broken], 1],
    [['migrate', missing, '-o', out], 1],
    [['sbom', broken], 1],
    [['sbom', good, '--created', 'yesterday'], 1],
    [['sbom', good, '--format', 'spdx'], 2],
  ])('wasm-meta %j', (args, status) => {
    expectErrorLines(runCli(args), status);
  });

  it('reports a usage error in one line that names the command and where its help is', () => {
    const result = runCli(['add', '--bogus']);
    expect(result.stderr).toBe('wasm-meta: error: unknown option --bogus (run "wasm-meta add --help" for usage)\n');
    expect(runCli(['frobnicate']).stderr).toMatch(
      /^wasm-meta: error: unknown command "frobnicate"; the commands are show, add, .* \(run "wasm-meta --help" for usage\)\n$/,
    );
  });

  it('reports an internal error (exit 70) so too: a damaged installation', () => {
    const installed = join(scratch, 'installed');
    cpSync(join(REPO_ROOT, 'bin'), join(installed, 'bin'), { recursive: true });
    cpSync(join(REPO_ROOT, 'dist'), join(installed, 'dist'), { recursive: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(installed, 'package.json'));
    // The bundles import the package's dependencies, as an installation has them.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(installed, 'node_modules'));
    rmSync(join(installed, 'dist', 'bundle', 'show.js'));
    const bin = join(installed, 'bin', 'wasm-meta.js');
    expect(runCli(['annotations', good], { bin }).status).toBe(0);
    const result = runCli(['show', good], { bin });
    expectErrorLines(result, 70);
    expect(result.stderr).toMatch(/^wasm-meta: error: internal error: .*show\.js/);
  });

  it('prefixes every line of an internal error, the stack included', () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      written.push(String(text));
      return true;
    });
    vi.stubEnv('WASM_META_DEBUG', '1');
    try {
      expect(reportInternalError(new TypeError('x is not a function'))).toBe(70);
      vi.stubEnv('WASM_META_DEBUG', '');
      expect(reportInternalError('a\nb')).toBe(70);
    } finally {
      write.mockRestore();
      vi.unstubAllEnvs();
    }
    const [stack, short] = written as [string, string];
    expect(stack.split('\n').length).toBeGreaterThan(3);
    for (const line of stack.trimEnd().split('\n')) expect(line.startsWith(ERROR_PREFIX), line).toBe(true);
    expect(stack).toMatch(
      /^wasm-meta: error: internal error \(a bug in wasm-meta; please report it\): TypeError: x is/,
    );
    expect(short).toBe(
      'wasm-meta: error: internal error: a b (a bug in wasm-meta; please report it, with WASM_META_DEBUG=1 for the details)\n',
    );
  });
});
