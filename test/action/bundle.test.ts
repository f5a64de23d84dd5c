import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionEntryAlone } from '../support/action.js';
import { HANG_MS } from '../support/hang.js';
import { REPO_ROOT } from '../support/shared.js';

// action/index.js is committed (the runner runs the checkout as it is, with no npm install), so
// it must be what `npm run build:action` makes of the sources today.

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-action-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the committed action bundle', () => {
  it('is what npm run build:action builds from the sources, byte for byte, licences included', () => {
    const out = join(scratch, 'rebuilt');
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'bundle-action.mjs'), out], {
      cwd: REPO_ROOT,
      timeout: HANG_MS,
    });
    for (const file of ['index.js', 'THIRD-PARTY-LICENSES.txt']) {
      const committed = readFileSync(join(REPO_ROOT, 'action', file));
      const rebuilt = readFileSync(join(out, file));
      expect(rebuilt.equals(committed), `action/${file} is stale: run npm run build:action and commit it`).toBe(
        true,
      );
    }
    const licences = readFileSync(join(out, 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const name of ['@actions/core', '@actions/glob', 'minimatch', 'smol-toml', 'hosted-git-info'])
      expect(licences).toMatch(new RegExp(`^${name} \\d+\\.\\d+\\.\\d+ \\(`, 'm'));
    // Left out of the bundle (see scripts/bundle-action.mjs), so not listed.
    expect(licences).not.toMatch(/^undici /m);
  });

  it('runs with no node_modules beside it: everything is inlined', () => {
    const entry = actionEntryAlone();
    const dir = dirname(entry);
    const run = spawnSync(process.execPath, [entry], {
      cwd: dir,
      env: { PATH: process.env['PATH'], GITHUB_WORKSPACE: dir },
      encoding: 'utf8',
      timeout: HANG_MS,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('::error::the files input is empty: give paths or globs of .wasm files, one a line\n');
    expect(run.status).toBe(1);
  });
});
