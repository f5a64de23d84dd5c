import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSbomFromFile } from '../../src/node/sbom.js';
import { runCli } from '../support/cli.js';
import { cliPeakRss } from '../support/memory.js';
import { LARGE_INPUTS, largeInput } from '../support/large-inputs.js';
import { component, custom, module, nameSubsection, nested } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-sbom-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const APP = Uint8Array.from(
  component(
    custom('component-name', nameSubsection('app')),
    nested(module(custom('name', nameSubsection('core')))),
    custom('licenses', 'MIT'),
    custom('version', '1.2.0'),
  ),
);
const app = join(scratch, 'app.wasm');
writeFileSync(app, APP);

/** The environment without SOURCE_DATE_EPOCH, plus `extra`. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const copy = { ...process.env, ...extra };
  if (!('SOURCE_DATE_EPOCH' in extra)) delete copy['SOURCE_DATE_EPOCH'];
  return copy;
}

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

describe('wasm-meta sbom', () => {
  it('prints a valid CycloneDX 1.6 document, what buildSbomFromFile gives, and the same twice', async () => {
    const result = runCli(['sbom', app], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(await validator.validate(result.stdout)).toBeNull();
    const doc = JSON.parse(result.stdout) as {
      metadata: { timestamp?: string; component: { name: string; version: string } };
    };
    expect(doc.metadata.component).toMatchObject({ name: 'app', version: '1.2.0' });
    expect(doc.metadata.timestamp).toBeUndefined();
    expect(result.stdoutBytes.equals(Buffer.from((await buildSbomFromFile(app)).bytes))).toBe(true);
    expect(runCli(['sbom', app], { env: env() }).stdoutBytes.equals(result.stdoutBytes)).toBe(true);
  });

  it('reads standard input, piped or redirected from a file, and gives the same document', () => {
    const expected = runCli(['sbom', app], { env: env() }).stdoutBytes;
    const piped = runCli(['sbom'], { env: env(), input: APP });
    expect(piped.status).toBe(0);
    expect(piped.stdoutBytes.equals(expected)).toBe(true);
    const fd = openSync(app, 'r');
    try {
      const redirected = runCli(['sbom', '-'], { env: env(), stdio: [fd, 'pipe', 'pipe'] });
      expect(redirected.status).toBe(0);
      expect(redirected.stdoutBytes.equals(expected)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it('writes -o FILE atomically, replacing what was there, and prints nothing', () => {
    const dir = mkdtempSync(join(scratch, 'out-'));
    const out = join(dir, 'app.cdx.json');
    writeFileSync(out, 'old');
    const result = runCli(['sbom', app, '-o', out], { env: env() });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(out)).toEqual(runCli(['sbom', app], { env: env() }).stdoutBytes);
    expect(readdirSync(dir)).toEqual(['app.cdx.json']);
  });

  it('takes the timestamp from SOURCE_DATE_EPOCH, and from --created over it', () => {
    const timestamp = (args: string[], extra: Record<string, string>) => {
      const result = runCli(['sbom', app, ...args], { env: env(extra) });
      expect(result.status, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { metadata: { timestamp?: string } }).metadata.timestamp;
    };
    expect(timestamp([], { SOURCE_DATE_EPOCH: '1767225600' })).toBe('2026-01-01T00:00:00Z');
    expect(timestamp(['--created', '2026-02-03T04:05:06Z'], { SOURCE_DATE_EPOCH: '1767225600' })).toBe(
      '2026-02-03T04:05:06Z',
    );
    expect(timestamp([], {})).toBeUndefined();
    expect(timestamp(['--created', 'now'], {})).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
  });

  it('refuses a bad timestamp before reading the file, naming where it came from', () => {
    const missing = join(scratch, 'missing.wasm');
    const flag = runCli(['sbom', missing, '--created', 'yesterday'], { env: env() });
    expect(flag.status).toBe(1);
    expect(flag.stderr).toBe('wasm-meta: error: --created: "yesterday" is not an RFC 3339 date-time\n');
    const epoch = runCli(['sbom', missing], { env: env({ SOURCE_DATE_EPOCH: 'soon' }) });
    expect(epoch.status).toBe(1);
    expect(epoch.stderr).toBe('wasm-meta: error: SOURCE_DATE_EPOCH must be a non-negative integer, not "soon"\n');
  });

  it('leaves out an invalid field with a warning, or fails with --strict', () => {
    const invalid = join(scratch, 'invalid.wasm');
    writeFileSync(invalid, Uint8Array.from(module(custom('licenses', 'MIT/Apache-2.0'), custom('version', '2.0.0'))));
    const result = runCli(['sbom', invalid], { env: env() });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^warning: 0x8: licenses: .*\(left out of the SBOM\)\n$/);
    const doc = JSON.parse(result.stdout) as { metadata: { component: { version: string; licenses?: unknown } } };
    expect(doc.metadata.component.version).toBe('2.0.0');
    expect(doc.metadata.component.licenses).toBeUndefined();
    const strict = runCli(['sbom', '--strict', invalid], { env: env() });
    expect(strict.status).toBe(1);
    expect(strict.stdout).toBe('');
  });

  it('names the file and the byte offset of a malformed binary', () => {
    const truncated = join(scratch, 'truncated.wasm');
    writeFileSync(truncated, APP.subarray(0, APP.length - 3));
    const result = runCli(['sbom', truncated], { env: env() });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^wasm-meta: error: ${truncated}: .* at byte offset \\d+ \\(0x[0-9a-f]+\\)\\n$`),
    );
  });
});

describe('wasm-meta sbom memory', () => {
  const peakRss = (args: string[]) => cliPeakRss(args, env());

  it('hashes a 100 MB file without holding it: a small part of its size above a plain run', () => {
    const { size } = LARGE_INPUTS['data-96mib'];
    const path = largeInput('data-96mib');
    const baseline = peakRss(['sbom', app]).rss;
    const { rss, stdout } = peakRss(['sbom', path]);
    expect(rss - baseline).toBeLessThan(size / 8);
    const doc = JSON.parse(stdout) as { metadata: { component: { hashes: Array<{ content: string }> } } };
    const hash = createHash('sha256');
    const fd = openSync(path, 'r');
    try {
      const chunk = new Uint8Array(1024 * 1024);
      for (let read; (read = readSync(fd, chunk)) > 0;) hash.update(chunk.subarray(0, read));
    } finally {
      closeSync(fd);
    }
    expect(doc.metadata.component.hashes[0]?.content).toBe(hash.digest('hex'));
  });
});
