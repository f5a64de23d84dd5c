import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, EXIT_MEANINGS } from '../../src/cli/exit-codes.js';
import { type CliResult, runCli, runCliAsync } from '../support/cli.js';
import { isolatedEnvIn } from '../support/env.js';
import { type FakeRegistry, startFakeRegistry, tamperedLayer } from '../support/fake-registry.js';
import { type TestRegistry, freePort, registryAvailable, startRegistry } from '../support/registry.js';
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

/** The password of the registry below; no output of any failure may hold it, nor its Basic form. */
const PASSWORD = 'pw-0f1e2d3c-never-shown';
const SECRETS = [PASSWORD, Buffer.from(`alice:${PASSWORD}`).toString('base64'), 'wrong-pw-7a6b5c'];

/** An environment without the user's credentials and configuration (test/support/env.ts). */
const isolatedEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => isolatedEnvIn(scratch, extra).env;

/** Every failure below is checked for secrets and stack traces in all it printed. */
function clean(result: CliResult): CliResult {
  const output = result.stdout + result.stderr;
  for (const secret of SECRETS) expect(output).not.toContain(secret);
  expect(output).not.toMatch(/^\s+at |Error: |node:internal/m);
  expect(result.stderr).toMatch(/^(?:warning: [^\n]+\n)*wasm-meta: error: [^\n]+\n$/);
  return result;
}

describe.runIf(registryAvailable())('exit codes of the registry commands', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: `alice:${bcrypt.hashSync(PASSWORD, 6)}\n` });
  });
  afterAll(async () => registry?.stop());

  const asAlice = (args: string[], password = PASSWORD): CliResult =>
    runCli([...args, '-u', 'alice', '--password-stdin'], { env: isolatedEnv(), input: password });

  it('4: credentials refused, or none given where some are needed', () => {
    expect(asAlice(['push', stamped, `${registry.host}/acme/app:1.0.0`]).status).toBe(EXIT.ok);
    const wrong = clean(
      asAlice(['pull', `${registry.host}/acme/app:1.0.0`, '-o', join(scratch, 'x.wasm')], 'wrong-pw-7a6b5c'),
    );
    expect(wrong.status).toBe(4);
    expect(wrong.stderr).toMatch(/the registry rejected the credentials of alice/);
    const anonymous = clean(runCli(['inspect', `${registry.host}/acme/app:1.0.0`], { env: isolatedEnv() }));
    expect(anonymous.status).toBe(4);
    const fromEnv = clean(
      runCli(['push', stamped, `${registry.host}/acme/other:1.0.0`], {
        env: isolatedEnv({ WASM_META_USERNAME: 'alice', WASM_META_PASSWORD: 'wrong-pw-7a6b5c' }),
      }),
    );
    expect(fromEnv.status).toBe(4);
  });

  it('5: the registry has no such tag, digest or repository', () => {
    const tag = clean(asAlice(['pull', `${registry.host}/acme/app:9.9.9`, '-o', join(scratch, 'x.wasm')]));
    expect(tag.status).toBe(5);
    expect(tag.stderr).toBe(
      `wasm-meta: error: ${registry.host}: the tag 9.9.9 of acme/app was not found (MANIFEST_UNKNOWN)\n`,
    );
    const digest = clean(asAlice(['inspect', `${registry.host}/acme/app@sha256:${'1'.repeat(64)}`]));
    expect(digest.status).toBe(5);
    expect(digest.stderr).toMatch(/the digest sha256:1{64} of acme\/app was not found/);
    const repository = clean(asAlice(['inspect', `${registry.host}/acme/none:1`]));
    expect(repository.status).toBe(5);
    // distribution 2.8 says MANIFEST_UNKNOWN, not NAME_UNKNOWN, for a repository it never had.
    expect(repository.stderr).toMatch(/the tag 1 of acme\/none was not found \(MANIFEST_UNKNOWN\)/);
  });

  it('6: nothing listens where the registry should be', async () => {
    const port = await freePort();
    const refused = clean(asAlice(['push', stamped, `127.0.0.1:${port}/acme/app:1.0.0`]));
    expect(refused.status).toBe(6);
    expect(refused.stderr).toMatch(/connection refused/);
  });

  it('7: a pinned digest that is not what is pushed', () => {
    const pinned = clean(asAlice(['push', stamped, `${registry.host}/acme/pinned:1.0.0@sha256:${'2'.repeat(64)}`]));
    expect(pinned.status).toBe(7);
    expect(clean(asAlice(['inspect', `${registry.host}/acme/pinned:1.0.0`])).status).toBe(5);
  });
});

describe('exit codes of registry faults a real registry does not produce on demand', () => {
  let fake: FakeRegistry;
  beforeAll(async () => {
    fake = await startFakeRegistry({ challenge: 'Basic realm="test"' });
  });
  afterAll(async () => fake?.close());

  const run = (args: string[]): Promise<CliResult> =>
    runCliAsync([...args, '-u', 'alice', '--password-stdin'], { env: isolatedEnv(), input: PASSWORD });

  it('7: a layer whose bytes are not its digest', async () => {
    fake.fault = tamperedLayer(fake);
    const out = join(scratch, 'tampered.wasm');
    const tampered = clean(await run(['pull', `${fake.host}/acme/hello:1.0.0`, '-o', out]));
    expect(tampered.status).toBe(7);
    expect(tampered.stderr).toMatch(new RegExp(`the blob ${fake.layerDigest} hashes to sha256:`));
    expect(fake.requests.some((r) => r.authorization !== undefined)).toBe(true);
  });

  it('8: any other registry failure, such as an HTTP 500', async () => {
    fake.fault = (request, response) => {
      if (request.headers.authorization === undefined) return false;
      response
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"UNKNOWN","message":"disk full"}]}');
      return true;
    };
    const failed = clean(await run(['inspect', `${fake.host}/acme/hello:1.0.0`]));
    expect(failed.status).toBe(8);
    expect(failed.stderr).toMatch(/UNKNOWN: disk full \(HTTP 500 on GET \/v2\/acme\/hello\/manifests\/1\.0\.0\)/);
  });
});
