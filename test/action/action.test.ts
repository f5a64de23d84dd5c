import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetadataFromFile } from '../../src/node/read-file.js';
import { annotationsFor, sortKeys } from '../../src/oci/annotations.js';
import { ACTION_ENTRY, type ActionRun, runActionEntry } from '../support/action.js';
import { type TestRegistry, registryAvailable, startRegistry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';

// The action as the GitHub runner runs it: the committed bundle (action.yml's runs.main) in a
// child Node.js, inputs as INPUT_<NAME> variables, outputs read back from GITHUB_OUTPUT
// (test/support/action.ts), against a real registry with password authentication.

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-action-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HELLO = join(REPO_ROOT, 'examples', 'hello.wasm');
const PACKAGE_JSON = readFileSync(join(REPO_ROOT, 'examples', 'package.json'), 'utf8');
const USER = 'ci-bot';
const PASSWORD = 'pa55-Word_that-must-stay-hidden';
/** The Authorization header that the test itself sends to the registry, to read back what was pushed. */
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

/** Runs git with a fixed identity and no user or system configuration. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  }).trim();
}

/** A fresh workspace holding `files` (path → text, or `HELLO` for a copy of the example component). */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'workspace-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    if (content === HELLO) copyFileSync(HELLO, join(dir, path));
    else writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Whether a file is still a byte-for-byte copy of the example component. */
const isUntouched = (path: string): boolean => readFileSync(path).equals(readFileSync(HELLO));

/** The `::error::` lines of a run (workflow commands, one a line). */
const errorLines = (run: ActionRun): string[] => run.stdout.split('\n').filter((line) => line.startsWith('::error'));

/** A failed run: exit status 1, a `::error::` line (the step's failure) that matches, and no stack trace. */
function expectFailure(run: ActionRun, message: RegExp): void {
  expect(run.status, run.stdout + run.stderr).toBe(1);
  const failure = errorLines(run).filter((line) => line.startsWith('::error::'));
  expect(failure).toHaveLength(1);
  expect(failure[0]).toMatch(message);
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
  expect(run.outputs).toEqual({});
}

describe('the action, run as the runner runs it', () => {
  it('stamps every file the patterns match from the first package manifest in the workspace, and checks them', async () => {
    const dir = workspace({
      'package.json': PACKAGE_JSON,
      'Cargo.toml': '[package]\nname = "other"\nversion = "9.9.9"\n',
      'dist/app.wasm': HELLO,
      'dist/lib/extra.wasm': HELLO,
      'dist/skip.wasm': HELLO,
    });
    const run = runActionEntry(dir, {
      files: 'dist/*.wasm\n# a comment\ndist/**/extra.wasm\n!dist/skip.wasm',
      require: 'licenses, source',
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(errorLines(run)).toEqual([]);
    // package.json comes before Cargo.toml.
    for (const file of ['dist/app.wasm', 'dist/lib/extra.wasm']) {
      const binary = await readMetadataFromFile(join(dir, file));
      expect([binary.name, binary.version, binary.licenses, binary.source]).toEqual([
        'hello',
        '0.1.0',
        'Apache-2.0',
        'https://github.com/acme/hello',
      ]);
      expect(run.stdout).toContain(`${file}: licenses: set to "Apache-2.0"\n`);
      expect(run.stdout).toContain(`${file}: check ok\n`);
      expect(run.summary).toContain(file);
    }
    expect(isUntouched(join(dir, 'dist/skip.wasm'))).toBe(true);
    expect(run.stdout).toContain('package manifest: package.json\n');
    expect(JSON.parse(run.outputs['files'] as string)).toEqual(['dist/app.wasm', 'dist/lib/extra.wasm']);
    // Without push: the annotations a push of the first file would set; no digest or reference.
    const expected = sortKeys(annotationsFor(await readMetadataFromFile(join(dir, 'dist/app.wasm'))).imageManifest);
    expect(run.outputs['annotations']).toBe(JSON.stringify(expected));
    expect(expected['org.opencontainers.image.licenses']).toBe('Apache-2.0');
    expect(Object.keys(run.outputs).sort()).toEqual(['annotations', 'files']);
  });

  it('takes the manifest input, and the first of the four kinds when it is not given', async () => {
    const cargo = '[package]\nname = "crab"\nversion = "2.0.0"\nlicense = "MIT"\n';
    const dir = workspace({ 'Cargo.toml': cargo, 'wkg.toml': '[metadata]\nlicense = "ISC"\n', 'app.wasm': HELLO });
    const run = runActionEntry(dir, { files: 'app.wasm' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect((await readMetadataFromFile(join(dir, 'app.wasm'))).licenses).toBe('MIT');

    const given = runActionEntry(dir, { files: 'app.wasm', manifest: 'wkg.toml' });
    expect(given.status, given.stdout + given.stderr).toBe(0);
    expect(given.stdout).toContain('app.wasm: licenses: changed from "MIT" to "ISC"');
    expect((await readMetadataFromFile(join(dir, 'app.wasm'))).licenses).toBe('ISC');
  });

  it('fails with one ::error:: line when a required field is missing, naming the file and the field', async () => {
    const manifest = JSON.stringify({ name: 'hello', version: '0.1.0', license: 'MIT' });
    const dir = workspace({ 'package.json': manifest, 'app.wasm': HELLO });
    const run = runActionEntry(dir, { files: 'app.wasm', require: 'licenses,source' });
    expectFailure(run, /^::error::check failed: app\.wasm: source missing: required$/);
    // The field's own annotation, on the file.
    expect(errorLines(run)).toContain('::error file=app.wasm::app.wasm: source missing: required');
    // Stamped all the same: the check runs on the stamped file.
    expect((await readMetadataFromFile(join(dir, 'app.wasm'))).licenses).toBe('MIT');
  });

  it('fails with one ::error:: line for a bad manifest, no manifest, no match, an unknown field or half the credentials', () => {
    const bad = workspace({ 'package.json': '{ "name": "hello", ', 'app.wasm': HELLO });
    expectFailure(runActionEntry(bad, { files: 'app.wasm' }), /^::error::.*package\.json/);
    expect(isUntouched(join(bad, 'app.wasm'))).toBe(true);

    const none = workspace({ 'app.wasm': HELLO });
    expectFailure(runActionEntry(none, { files: 'app.wasm' }), /^::error::no package manifest in .*: set the manifest input/);

    const dir = workspace({ 'package.json': PACKAGE_JSON, 'dist/app.wasm': HELLO });
    expectFailure(runActionEntry(dir, { files: 'dist/app.wasm\nbuild/*.wasm' }), /^::error::files: no file matches "build\/\*\.wasm"$/);
    expectFailure(runActionEntry(dir, { files: 'dist/*.wasm\n!dist/app.wasm' }), /^::error::files: every file matched is excluded/);
    expectFailure(runActionEntry(dir, { files: 'dist/app.wasm', require: 'licence' }), /^::error::require: unknown field licence; fields are /);
    expectFailure(runActionEntry(dir, { files: 'dist/app.wasm', username: USER }), /^::error::username is set but password is not/);
    expectFailure(runActionEntry(dir, { files: 'dist/app.wasm', sbom: 'true' }), /^::error::sbom attaches the SBOM to the pushed image: give push too$/);
    expectFailure(runActionEntry(dir, { files: 'dist/app.wasm', sbom: 'yes', push: 'ghcr.io/acme/app:1' }), /^::error::sbom: "yes" is not true or false$/);
    expect(isUntouched(join(dir, 'dist/app.wasm'))).toBe(true);
  });

  it('fails naming the file when a file is not WebAssembly', () => {
    const dir = workspace({ 'package.json': PACKAGE_JSON, 'dist/app.wasm': 'not wasm' });
    expectFailure(runActionEntry(dir, { files: 'dist/*.wasm' }), /^::error::dist\/app\.wasm: /);
  });
});

describe.skipIf(!registryAvailable())('the action, pushing to a registry with a password', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: `${USER}:${bcrypt.hashSync(PASSWORD, 6)}\n` });
  });
  afterAll(() => registry?.stop());

  /** The password shows only in the `::add-mask::` command that hides it from the log. */
  function expectMasked(run: ActionRun): void {
    expect(run.stdout.split('\n').filter((line) => line.includes(PASSWORD))).toEqual([`::add-mask::${PASSWORD}`]);
    expect(run.stdout.indexOf(`::add-mask::${PASSWORD}`)).toBe(0);
    expect(run.stderr).not.toContain(PASSWORD);
    expect(JSON.stringify(run.outputs)).not.toContain(PASSWORD);
    expect(run.summary).not.toContain(PASSWORD);
  }

  it('stamps, checks and pushes; the outputs are the pushed image manifest', async () => {
    const dir = workspace({ 'package.json': PACKAGE_JSON, 'dist/hello.wasm': HELLO });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'first');
    const head = git(dir, 'rev-parse', 'HEAD');
    const run = runActionEntry(dir, {
      files: 'dist/*.wasm',
      require: 'licenses,source,revision',
      push: `${registry.host}/acme/hello:1.0.0`,
      username: USER,
      password: PASSWORD,
      insecure: '',
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expectMasked(run);
    expect((await readMetadataFromFile(join(dir, 'dist/hello.wasm'))).revision).toBe(head);

    const { digest, reference, annotations } = run.outputs as Record<string, string>;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(reference).toBe(`${registry.host}/acme/hello:1.0.0@${digest}`);
    // What the registry holds under the tag, fetched here and hashed independently.
    const response = await fetch(`${registry.url}/v2/acme/hello/manifests/1.0.0`, {
      headers: {
        authorization: BASIC,
        accept: 'application/vnd.oci.image.manifest.v1+json',
      },
    });
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(digest);
    const pushed = JSON.parse(bytes.toString('utf8')) as { annotations: Record<string, string> };
    expect(JSON.parse(annotations as string)).toEqual(pushed.annotations);
    expect(pushed.annotations['org.opencontainers.image.revision']).toBe(head);
    expect(pushed.annotations['org.opencontainers.image.source']).toBe('https://github.com/acme/hello');
    expect(run.summary).toContain(`Pushed to <code>${reference}</code>`);
    expect(run.summary).toContain('<code>dist/hello.wasm</code>: stamped and checked');
    expect(run.stdout).toContain(`pushed dist/hello.wasm to ${reference}\n`);
  });

  it('attaches a CycloneDX SBOM of the pushed file as a referrer of the pushed image, with sbom', async () => {
    const dir = workspace({ 'package.json': PACKAGE_JSON, 'app.wasm': HELLO });
    // The bundle runs from a copy with no node_modules above it (test/support/action.ts): none of
    // the CycloneDX library's optional plugins (ajv, which this repository has for its tests) is found.
    const run = runActionEntry(dir, {
      files: 'app.wasm',
      push: `${registry.host}/acme/with-sbom:1.0.0`,
      sbom: 'true',
      username: USER,
      password: PASSWORD,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expectMasked(run);
    const { digest, 'sbom-digest': sbomDigest } = run.outputs as Record<string, string>;
    expect(sbomDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.summary).toContain(`With a CycloneDX SBOM attached: <code>${sbomDigest}</code>`);

    // Found as a referrer (distribution 2.8 has no referrers API: through the referrers tag), and
    // the attached document is what `wasm-meta sbom` makes of the stamped file.
    const headers = { authorization: BASIC };
    const get = async (path: string, accept: string): Promise<Buffer> => {
      const response = await fetch(`${registry.url}/v2/acme/with-sbom/${path}`, { headers: { ...headers, accept } });
      expect(response.status, path).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    };
    const index = JSON.parse(
      (await get(`manifests/sha256-${(digest as string).slice(7)}`, 'application/vnd.oci.image.index.v1+json')).toString(),
    ) as { manifests: { digest: string; artifactType: string }[] };
    expect(index.manifests).toEqual([expect.objectContaining({ digest: sbomDigest, artifactType: 'application/vnd.cyclonedx+json' })]);
    const referrer = JSON.parse(
      (await get(`manifests/${sbomDigest}`, 'application/vnd.oci.image.manifest.v1+json')).toString(),
    ) as { subject: { digest: string }; layers: { digest: string }[] };
    expect(referrer.subject.digest).toBe(digest);
    const document = (await get(`blobs/${referrer.layers[0]?.digest}`, '*/*')).toString();
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['SOURCE_DATE_EPOCH'];
    const local = execFileSync(process.execPath, [join(REPO_ROOT, 'bin', 'wasm-meta.js'), 'sbom', join(dir, 'app.wasm')], {
      encoding: 'utf8',
      env,
    });
    expect(document).toBe(local);
    expect(JSON.parse(document)).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
  });

  it('fails with one ::error:: line, the password still masked, when the registry refuses it', () => {
    const dir = workspace({ 'package.json': PACKAGE_JSON, 'app.wasm': HELLO });
    const wrong = `${PASSWORD}-wrong`;
    const run = runActionEntry(dir, { files: 'app.wasm', push: `${registry.host}/acme/hello:2`, username: USER, password: wrong });
    expectFailure(run, /^::error::.*(401|unauthori[sz]ed|credentials)/i);
    expect(run.stdout.split('\n').filter((line) => line.includes(wrong))).toEqual([`::add-mask::${wrong}`]);
    expect(run.stderr).not.toContain(wrong);
  });

  it('pushes nothing when the check fails', async () => {
    const manifest = JSON.stringify({ name: 'hello', version: '0.1.0', license: 'MIT' });
    const dir = workspace({ 'package.json': manifest, 'app.wasm': HELLO });
    const push = `${registry.host}/acme/unchecked:1`;
    const run = runActionEntry(dir, { files: 'app.wasm', require: 'source', push, username: USER, password: PASSWORD });
    expectFailure(run, /^::error::check failed: app\.wasm: source missing: required$/);
    const response = await fetch(`${registry.url}/v2/acme/unchecked/tags/list`, {
      headers: { authorization: BASIC },
    });
    await response.body?.cancel();
    expect(response.status).toBe(404);
  });

  it('reaches a registry that is not loopback by name over plain HTTP only when insecure names it', async () => {
    // A registry without authentication: wasm-meta sends credentials over plain HTTP to loopback only.
    const open = await startRegistry();
    try {
      // 127.1 is 127.0.0.1 to the network, but not a name wasm-meta knows as loopback.
      const host = open.host.replace('127.0.0.1', '127.1');
      const pattern = host.replace(/\./g, '\\.');
      const dir = workspace({ 'package.json': PACKAGE_JSON, 'app.wasm': HELLO });
      const inputs = { files: 'app.wasm', push: `${host}/acme/plain:1` };
      // Without insecure, HTTPS: the plain-HTTP registry does not speak TLS.
      expectFailure(runActionEntry(dir, inputs), new RegExp(`^::error::${pattern}: HEAD /v2/acme/plain/.* failed: `));
      const allowed = runActionEntry(dir, { ...inputs, insecure: `example.org, ${host}` });
      expect(allowed.status, allowed.stdout + allowed.stderr).toBe(0);
      expect(allowed.outputs['reference']).toMatch(new RegExp(`^${pattern}/acme/plain:1@sha256:[0-9a-f]{64}$`));
    } finally {
      await open.stop();
    }
  });

  it('masks the password even when the inputs are wrong, and pushes one file only', () => {
    const dir = workspace({ 'package.json': PACKAGE_JSON, 'a.wasm': HELLO, 'b.wasm': HELLO });
    const run = runActionEntry(dir, { files: '*.wasm', push: `${registry.host}/acme/hello:3`, username: USER, password: PASSWORD });
    expectFailure(run, /^::error::push takes one file .* but files matched 2: a\.wasm, b\.wasm$/);
    expectMasked(run);
    // Nothing was stamped: the inputs are checked first.
    expect(isUntouched(join(dir, 'a.wasm'))).toBe(true);

    const half = runActionEntry(dir, { files: 'a.wasm', password: PASSWORD });
    expectFailure(half, /^::error::password is set but username is not/);
    expectMasked(half);
  });
});

// action.yml is parsed with `yaml` (a devDependency): a YAML 1.2 parser, not a hand-written one
// that would accept only the subset this file happens to use.
describe('action.yml', () => {
  interface ActionManifest {
    inputs: Record<string, { description: string; required?: boolean; default?: string }>;
    outputs: Record<string, { description: string }>;
    runs: { using: string; main: string };
  }
  const manifest = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionManifest;
  /** The sources of the action's entry, src/action/. */
  const sources = readdirSync(join(REPO_ROOT, 'src', 'action'))
    .map((name) => readFileSync(join(REPO_ROOT, 'src', 'action', name), 'utf8'))
    .join('\n');
  const called = (pattern: RegExp): string[] => [...new Set([...sources.matchAll(pattern)].map((match) => match[1] as string))].sort();

  it('runs the committed bundle on a current Node.js the runner offers', () => {
    expect(manifest.runs.using).toBe('node24');
    expect(join(REPO_ROOT, manifest.runs.main)).toBe(ACTION_ENTRY);
    expect(existsSync(ACTION_ENTRY)).toBe(true);
  });

  it('declares every input the entry reads and every output it sets, and no other', () => {
    const read = called(/\bget(?:Multiline|Boolean)?Input\(\s*'([^']+)'/g);
    expect(read).toEqual(Object.keys(manifest.inputs).sort());
    expect(called(/\bsetOutput\(\s*'([^']+)'/g)).toEqual(Object.keys(manifest.outputs).sort());
    for (const entry of [...Object.values(manifest.inputs), ...Object.values(manifest.outputs)])
      expect(entry.description.length).toBeGreaterThan(20);
    expect(Object.entries(manifest.inputs).filter(([, input]) => input.required === true).map(([name]) => name)).toEqual(['files']);
  });
});
