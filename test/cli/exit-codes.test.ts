import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, EXIT_MEANINGS } from '../../src/cli/exit-codes.js';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/shared.js';
import { custom, module } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-exit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, bytes: number[]): string {
  const path = join(scratch, name);
  writeFileSync(path, Uint8Array.from(bytes));
  return path;
}

const stamped = write('stamped.wasm', module(custom('licenses', 'MIT'), custom('version', '1.0.0')));

/** The rows of the exit-status table in docs/cli.md: code and meaning. */
function documentedCodes(): [number, string][] {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'cli.md'), 'utf8');
  const section = doc.slice(
    doc.indexOf('\n## Exit status\n'),
    doc.indexOf('\n## ', doc.indexOf('\n## Exit status\n') + 1),
  );
  return Array.from(section.matchAll(/^\| (\d+) +\| (.+?) +\|/gm), (m) => [Number(m[1]), m[2] as string]);
}

describe('exit codes', () => {
  it('are one table, the same in docs/cli.md and in wasm-meta --help', () => {
    expect(documentedCodes()).toEqual(EXIT_MEANINGS);
    expect(new Set(EXIT_MEANINGS.map(([code]) => code))).toEqual(new Set(Object.values(EXIT)));
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const [code, meaning] of EXIT_MEANINGS) {
      expect(help.stdout).toContain(`  ${String(code).padStart(2)}  ${meaning}\n`);
    }
  });

  it('0: success', () => {
    expect(runCli(['check', stamped, '--require', 'licenses']).status).toBe(EXIT.ok);
    expect(EXIT.ok).toBe(0);
  });

  it('1: input that cannot be read, and an invalid value', () => {
    expect(runCli(['check', join(scratch, 'absent.wasm'), '--require', 'licenses']).status).toBe(1);
    expect(runCli(['check', write('short.wasm', module(custom('licenses', 'MIT')).slice(0, -1))]).status).toBe(1);
    expect(runCli(['add', stamped, '--licenses', 'MIT/Apache', '-o', join(scratch, 'out.wasm')]).status).toBe(1);
  });

  it('2: a usage error', () => {
    expect(runCli(['check', stamped, '--bogus']).status).toBe(2);
    expect(runCli(['check', stamped, '--require', 'colour']).status).toBe(2);
  });

  it('3: metadata that check finds missing, different or invalid', () => {
    expect(runCli(['check', stamped, '--require', 'source']).status).toBe(3);
    expect(runCli(['check', write('invalid.wasm', module(custom('homepage', 'not a url')))]).status).toBe(3);
    const manifest = join(scratch, 'project', 'package.json');
    mkdirSync(join(scratch, 'project'));
    writeFileSync(manifest, JSON.stringify({ name: 'app', version: '2.0.0' }));
    const differs = runCli(['check', stamped, '--from', manifest]);
    expect(differs.status).toBe(3);
    expect(differs.stdout).toContain('differs: expected "2.0.0", found "1.0.0"');
  });

  // 70, an internal error, is provoked by a damaged installation in error-lines.test.ts.
});
