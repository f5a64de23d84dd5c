import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { textWidth } from '../../src/format/text-width.js';
import { readMetadata } from '../../src/read.js';
import { type CliResult, runCli, runCliAsync } from '../support/cli.js';
import { isolatedEnvIn } from '../support/env.js';
import { HANG_MS, waitFor } from '../support/hang.js';
import { largeInput } from '../support/large-inputs.js';
import { type TestRegistry, registryAvailable, skopeoAvailable, startRegistry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';
import { type TokenServer, startTokenServer } from '../support/token-server.js';

const OCI = 'org.opencontainers.image.';
const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-oci-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An environment without the user's credentials and configuration (test/support/env.ts). */
const isolatedEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => isolatedEnvIn(scratch, extra).env;

function wasmMeta(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  return runCli(args, {
    env: options.env ?? isolatedEnv(),
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

function skopeo(...args: string[]): string {
  const result = spawnSync('skopeo', [...args], { encoding: 'utf8', timeout: HANG_MS });
  if (result.status !== 0) throw new Error(`skopeo ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const sha256 = (bytes: Uint8Array | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The example component with metadata in its sections. */
const COMPONENT = joinChunks(
  applyEdit(new Uint8Array(readFileSync(join(REPO_ROOT, 'examples', 'hello.wasm'))), {
    name: 'hello',
    authors: 'Ana <ana@example.com>',
    description: 'Says hello',
    licenses: 'Apache-2.0',
    source: 'https://github.com/acme/hello',
    homepage: 'https://acme.dev/hello',
    revision: 'de978e17a80c1118f606fce919ba9b7d5a04a5ad',
    version: '0.1.0',
    vendor: 'ACME',
  }).chunks,
);
const componentPath = join(scratch, 'hello.wasm');
writeFileSync(componentPath, COMPONENT);

const EXPECTED_ANNOTATIONS = {
  [`${OCI}authors`]: 'Ana <ana@example.com>',
  [`${OCI}description`]: 'Says hello',
  [`${OCI}licenses`]: 'Apache-2.0',
  [`${OCI}revision`]: 'de978e17a80c1118f606fce919ba9b7d5a04a5ad',
  [`${OCI}source`]: 'https://github.com/acme/hello',
  [`${OCI}title`]: 'hello',
  [`${OCI}url`]: 'https://acme.dev/hello',
  [`${OCI}vendor`]: 'ACME',
  [`${OCI}version`]: '0.1.0',
};

describe.runIf(registryAvailable() && skopeoAvailable())('a real registry (distribution 2.8), anonymous', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(undefined, { accessLog: true });
  });
  afterAll(async () => registry?.stop());

  it('pushes, and pulls back the identical bytes', () => {
    const ref = `${registry.host}/acme/hello:0.1.0`;
    const pushed = wasmMeta(['push', componentPath, ref]);
    expect(pushed.stderr).toBe('');
    expect(pushed.status).toBe(0);
    expect(pushed.stdout).toMatch(new RegExp(`^pushed ${ref}\\ndigest sha256:[0-9a-f]{64}\\n$`));
    const out = join(scratch, 'pulled.wasm');
    const pulled = wasmMeta(['pull', ref, '-o', out, '--verify']);
    expect(pulled.status).toBe(0);
    expect(readFileSync(out).equals(Buffer.from(COMPONENT))).toBe(true);
  });

  it('writes the annotations and config that skopeo reads back independently', () => {
    const ref = `${registry.host}/acme/annotated:0.1.0`;
    const digest = /digest (\S+)/.exec(wasmMeta(['push', componentPath, ref]).stdout)?.[1];
    const raw = skopeo('inspect', '--raw', '--tls-verify=false', `docker://${ref}`);
    expect(sha256(raw)).toBe(digest);
    const imageManifest = JSON.parse(raw);
    expect(imageManifest.annotations).toEqual(EXPECTED_ANNOTATIONS);
    expect(Object.keys(imageManifest)).toEqual(['schemaVersion', 'mediaType', 'config', 'layers', 'annotations']);
    expect(imageManifest.layers).toEqual([
      {
        mediaType: 'application/wasm',
        digest: sha256(COMPONENT),
        size: COMPONENT.length,
        annotations: { [`${OCI}title`]: 'annotated.wasm' },
      },
    ]);
    const config = JSON.parse(skopeo('inspect', '--raw', '--config', '--tls-verify=false', `docker://${ref}`));
    const tree = readMetadata(COMPONENT);
    expect(config).toEqual({
      created: '1970-01-01T00:00:00Z',
      author: 'Ana <ana@example.com>',
      architecture: 'wasm',
      os: 'wasip2',
      layerDigests: [sha256(COMPONENT)],
      component: { exports: tree.exports.map((e) => e.name), imports: tree.imports.map((i) => i.name), target: null },
    });
    expect(config.component.exports).toEqual(['init', 'greet']);
  });

  it('gives the same digest when the same file is pushed again, and created only when asked', () => {
    const env = isolatedEnv({ SOURCE_DATE_EPOCH: '1767225600' });
    const first = wasmMeta(['push', componentPath, `${registry.host}/acme/repro:0.1.0`], { env });
    const second = wasmMeta(['push', componentPath, `${registry.host}/acme/repro:0.1.0`], { env });
    expect(first.stdout).toBe(second.stdout);
    const imageManifest = JSON.parse(
      skopeo('inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/acme/repro:0.1.0`),
    );
    expect(imageManifest.annotations[`${OCI}created`]).toBe('2026-01-01T00:00:00Z');
    expect(wasmMeta(['push', componentPath, `${registry.host}/acme/plain:0.1.0`]).status).toBe(0);
    const plain = JSON.parse(
      skopeo('inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/acme/plain:0.1.0`),
    );
    expect(plain.annotations[`${OCI}created`]).toBeUndefined();
    const now = wasmMeta(['push', componentPath, `${registry.host}/acme/repro:now`, '--created', 'now']);
    expect(now.status).toBe(0);
    expect(now.stdout).not.toBe(first.stdout);
  });

  it('lets --annotation win over the annotation file, and the file over the sections', () => {
    const file = join(scratch, 'annotations.json');
    writeFileSync(
      file,
      JSON.stringify({
        $manifest: { [`${OCI}description`]: 'from the file', [`${OCI}vendor`]: 'File Vendor', 'com.acme.team': 'wasm' },
        $config: { 'com.acme.config': 'yes' },
        'precedence.wasm': { [`${OCI}title`]: 'renamed.wasm' },
      }),
    );
    const ref = `${registry.host}/acme/precedence:2.0.0`;
    const pushed = wasmMeta([
      'push',
      componentPath,
      ref,
      '--annotation-file',
      file,
      '--annotation',
      `${OCI}vendor=Flag Vendor`,
    ]);
    expect(pushed.status).toBe(0);
    // The tag is SemVer and the file has a version section that differs: a warning, and the section wins.
    expect(pushed.stderr).toMatch(/the version section \(0\.1\.0\) differs from the tag 2\.0\.0/);
    const imageManifest = JSON.parse(skopeo('inspect', '--raw', '--tls-verify=false', `docker://${ref}`));
    expect(imageManifest.annotations).toMatchObject({
      [`${OCI}description`]: 'from the file',
      [`${OCI}vendor`]: 'Flag Vendor',
      'com.acme.team': 'wasm',
      [`${OCI}version`]: '0.1.0',
    });
    expect(imageManifest.config.annotations).toEqual({ 'com.acme.config': 'yes' });
    expect(imageManifest.layers[0].annotations).toEqual({ [`${OCI}title`]: 'renamed.wasm' });
    // The pull names the file after the layer title.
    const dir = mkdtempSync(join(scratch, 'pull-'));
    expect(runCli(['pull', ref], { cwd: dir, env: isolatedEnv() }).status).toBe(0);
    expect(existsSync(join(dir, 'renamed.wasm'))).toBe(true);
  });

  it('rejects invalid explicit annotations and tags before pushing anything', () => {
    const bad = wasmMeta([
      'push',
      componentPath,
      `${registry.host}/acme/bad:1.0.0`,
      '--annotation',
      `${OCI}licenses=MIT/Apache-2.0`,
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /--annotation: org\.opencontainers\.image\.licenses: "MIT\/Apache-2\.0" is not an SPDX licence expression/,
    );
    const deprecated = wasmMeta([
      'push',
      componentPath,
      `${registry.host}/acme/bad:1.0.0`,
      '--annotation',
      `${OCI}licenses=GPL-2.0`,
    ]);
    expect(deprecated.status).toBe(1);
    expect(deprecated.stderr).toMatch(
      /--annotation: org\.opencontainers\.image\.licenses: "GPL-2\.0" is not an SPDX licence expression: .*; did you mean "GPL-2\.0-only"\?\n$/,
    );
    expect(wasmMeta(['push', componentPath, `${registry.host}/acme/bad:1.0.0+build`]).stderr).toMatch(
      /tags cannot hold "\+"/,
    );
    expect(wasmMeta(['push', componentPath, `${registry.host}/Acme/bad:1`]).stderr).toMatch(
      /not a valid repository name/,
    );
    expect(wasmMeta(['push', componentPath, `${registry.host}/acme/bad:1`, '--annotation', 'nokey']).status).toBe(2);
  });

  it('inspects the image manifest and config without downloading the layer', async () => {
    const ref = `${registry.host}/acme/inspected:0.1.0`;
    expect(wasmMeta(['push', componentPath, ref]).status).toBe(0);
    registry.log.length = 0;
    const inspected = wasmMeta(['inspect', ref, '--json']);
    expect(inspected.status).toBe(0);
    const json = JSON.parse(inspected.stdout);
    expect(json.manifest.annotations).toEqual(EXPECTED_ANNOTATIONS);
    expect(json.config.os).toBe('wasip2');
    expect(json.digest).toMatch(/^sha256:/);
    // The registry's log arrives through this process's event loop: wait for the image manifest's line.
    await waitFor(
      () => registry.log.some((line) => line.includes('/manifests/0.1.0')),
      "the image manifest's log line",
    );
    const layerGets = registry.log.filter((line) =>
      line.includes(`"GET /v2/acme/inspected/blobs/${sha256(COMPONENT)}`),
    );
    expect(registry.log.some((line) => line.includes('/manifests/0.1.0'))).toBe(true);
    expect(layerGets).toEqual([]);
    // The same filter does see a download of the layer.
    expect(wasmMeta(['pull', ref, '-o', join(scratch, 'inspected.wasm')]).status).toBe(0);
    await waitFor(
      () => registry.log.some((line) => line.includes(`"GET /v2/acme/inspected/blobs/${sha256(COMPONENT)}`)),
      "the layer's log line",
    );
    expect(registry.log.some((line) => line.includes(`"GET /v2/acme/inspected/blobs/${sha256(COMPONENT)}`))).toBe(true);
    const table = wasmMeta(['inspect', ref]);
    expect(table.stdout).toContain('│ org.opencontainers.image.description ┆ Says hello');
  });

  it('push, pull and inspect --json print one JSON document on standard output, warnings on standard error', () => {
    const ref = `${registry.host}/acme/json:9.9.9`;
    const pushed = wasmMeta(['push', componentPath, ref, '--json']);
    expect(pushed.status).toBe(0);
    // The version section (0.1.0) differs from the tag: the warning goes to standard error.
    expect(pushed.stderr).toMatch(/^warning: .*differs from the tag 9\.9\.9/);
    expect(pushed.stdout.endsWith('}\n')).toBe(true);
    expect(pushed.stdout.indexOf('\n')).toBe(pushed.stdout.length - 1);
    const push = JSON.parse(pushed.stdout);
    // Checked against what skopeo reads from the registry on its own.
    const raw = skopeo('inspect', '--raw', '--tls-verify=false', `docker://${ref}`);
    expect(push.digest).toBe(sha256(raw));
    expect(push.reference).toBe(`${ref}@${push.digest}`);
    expect(push.file).toBe(componentPath);
    expect(push.size).toBe(COMPONENT.length);
    expect(push.layer).toMatchObject({ digest: sha256(COMPONENT), size: COMPONENT.length });
    expect(push.manifest).toEqual(JSON.parse(raw));
    expect(push.annotations).toEqual(JSON.parse(raw).annotations);
    expect(push.annotations[`${OCI}version`]).toBe('0.1.0');
    expect(Array.isArray(push.skipped)).toBe(true);

    const out = join(scratch, 'json-pulled.wasm');
    const pulled = wasmMeta(['pull', ref, '-o', out, '--json']);
    expect(pulled.status).toBe(0);
    expect(pulled.stderr).toBe('');
    expect(pulled.stdout.indexOf('\n')).toBe(pulled.stdout.length - 1);
    expect(JSON.parse(pulled.stdout)).toEqual({
      file: out,
      reference: push.reference,
      digest: push.digest,
      size: COMPONENT.length,
      layer: push.layer,
    });
    expect(readFileSync(out).equals(Buffer.from(COMPONENT))).toBe(true);

    const inspected = wasmMeta(['inspect', ref, '--json']);
    expect(inspected.status).toBe(0);
    expect(inspected.stderr).toBe('');
    expect(inspected.stdout.indexOf('\n')).toBe(inspected.stdout.length - 1);
    const inspect = JSON.parse(inspected.stdout);
    expect(inspect).toMatchObject({ reference: push.reference, digest: push.digest, layer: push.layer });
    expect(inspect.manifest).toEqual(JSON.parse(raw));
    expect(inspect.annotations).toEqual(push.annotations);
    expect(inspect.config.os).toBe('wasip2');
  });

  it('inspect never breaks a digest or a URL across lines, however narrow the terminal', () => {
    const ref = `${registry.host}/acme/narrow:0.1.0`;
    const digest = JSON.parse(wasmMeta(['push', componentPath, ref, '--json']).stdout).digest as string;
    for (const columns of ['20', '60', '100']) {
      const table = wasmMeta(['inspect', ref], { env: isolatedEnv({ COLUMNS: columns }) });
      expect(table.status).toBe(0);
      const lines = table.stdout.trimEnd().split('\n');
      for (const whole of [
        `${ref}@${digest}`,
        sha256(COMPONENT),
        'https://github.com/acme/hello',
        'https://acme.dev/hello',
      ]) {
        expect(
          lines.some((line) => line.includes(whole)),
          `${columns}: ${whole}`,
        ).toBe(true);
      }
      // Still a table: every line as wide as the others.
      expect(new Set(lines.map((line) => textWidth(line))).size, columns).toBe(1);
    }
  });

  it('pulls by digest and verifies the pulled sections against the annotations', () => {
    const ref = `${registry.host}/acme/verify:1.0.0`;
    const digest = /digest (\S+)/.exec(
      wasmMeta(['push', componentPath, ref, '--annotation', `${OCI}description=Not what the binary says`]).stdout,
    )?.[1];
    const out = join(scratch, 'by-digest.wasm');
    expect(wasmMeta(['pull', `${registry.host}/acme/verify@${digest}`, '-o', out]).status).toBe(0);
    const verifiedPath = join(scratch, 'verified.wasm');
    writeFileSync(verifiedPath, 'what was there before');
    const verified = wasmMeta(['pull', ref, '-o', verifiedPath, '--verify']);
    // Exit 3, as for check: the binary was read, and its metadata disagrees; so it is not written.
    expect(verified.status).toBe(3);
    expect(verified.stderr).toMatch(/verified\.wasm: not written: the metadata sections disagree/);
    expect(verified.stderr).toMatch(
      /org\.opencontainers\.image\.description: the binary has "Says hello", the image manifest "Not what the binary says"/,
    );
    expect(readFileSync(verifiedPath, 'utf8')).toBe('what was there before');
    expect(readdirSync(scratch).filter((name) => name.startsWith('.verified.wasm'))).toEqual([]);
  });

  it('refuses artifacts that are not Wasm, and image indexes', async () => {
    const put = async (repo: string, body: string, mediaType: string): Promise<void> => {
      const response = await fetch(`${registry.url}/v2/${repo}/manifests/x`, {
        method: 'PUT',
        headers: { 'content-type': mediaType },
        body,
      });
      expect(response.status).toBe(201);
    };
    const configDigest = sha256('{}');
    await uploadBlob(registry, 'acme/other', '{}');
    await uploadBlob(registry, 'acme/other', 'not wasm');
    const imageManifest = (configType: string, layerType: string): string =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: configType, digest: configDigest, size: 2 },
        layers: [{ mediaType: layerType, digest: sha256('not wasm'), size: 8 }],
      });
    await put(
      'acme/other',
      imageManifest('application/vnd.oci.image.config.v1+json', 'application/vnd.oci.image.layer.v1.tar'),
      'application/vnd.oci.image.manifest.v1+json',
    );
    const notWasm = wasmMeta(['pull', `${registry.host}/acme/other:x`, '-o', join(scratch, 'never.wasm')]);
    expect(notWasm.status).toBe(1);
    expect(notWasm.stderr).toMatch(/this is not a Wasm artifact/);
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [],
    });
    await put('acme/index', index, 'application/vnd.oci.image.index.v1+json');
    expect(wasmMeta(['pull', `${registry.host}/acme/index:x`, '-o', join(scratch, 'never.wasm')]).stderr).toMatch(
      /image index/,
    );
    expect(existsSync(join(scratch, 'never.wasm'))).toBe(false);
    const missing = wasmMeta(['pull', `${registry.host}/acme/missing:1`, '-o', join(scratch, 'never.wasm')]);
    expect(missing.status).toBe(5);
    expect(missing.stderr).toMatch(/the tag 1 of acme\/missing was not found \(MANIFEST_UNKNOWN\)/);
  });

  it('resolves wkg package names through the wkg config', () => {
    const env = isolatedEnv();
    mkdirSync(join(env['XDG_CONFIG_HOME'] as string, 'wasm-pkg'), { recursive: true });
    writeFileSync(
      join(env['XDG_CONFIG_HOME'] as string, 'wasm-pkg', 'config.toml'),
      `default_registry = "${registry.host}"\n`,
    );
    for (const version of ['0.2.0', '0.10.0', '0.9.1']) {
      // --force: the component's version section says 0.1.0 (exit 3 without it: references.test.ts).
      expect(wasmMeta(['push', componentPath, `acme:greeter@${version}`, '--force'], { env }).stdout).toMatch(
        new RegExp(`pushed ${registry.host}/acme/greeter:${version}`),
      );
    }
    expect(wasmMeta(['push', componentPath, 'acme:greeter'], { env }).stderr).toMatch(/give a version/);
    const dir = mkdtempSync(join(scratch, 'wkg-'));
    const pulled = runCli(['pull', 'acme:greeter'], { cwd: dir, env });
    expect(pulled.stdout).toMatch(new RegExp(`pulled ${registry.host}/acme/greeter:0\\.10\\.0@sha256:`));
    expect(readdirSync(dir)).toEqual(['greeter.wasm']);
  });
});

/** Uploads a blob with plain fetch (for hand-made image manifests in tests). */
async function uploadBlob(registry: TestRegistry, repo: string, content: string): Promise<void> {
  const start = await fetch(`${registry.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location') as string, registry.url);
  location.searchParams.append('digest', sha256(content));
  const done = await fetch(location, {
    method: 'PUT',
    body: content,
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(done.status).toBe(201);
}

describe.runIf(registryAvailable())('a real registry with Basic authentication (htpasswd)', () => {
  let registry: TestRegistry;
  const password = 'correct horse battery staple';
  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: `alice:${bcrypt.hashSync(password, 6)}\n` });
  });
  afterAll(async () => registry?.stop());

  it('pushes and pulls with -u and --password-stdin', () => {
    const ref = `${registry.host}/acme/private:0.1.0`;
    const pushed = wasmMeta(['push', componentPath, ref, '-u', 'alice', '--password-stdin'], {
      input: `${password}\n`,
    });
    expect(pushed.stderr).toBe('');
    expect(pushed.status).toBe(0);
    const pulled = wasmMeta(['pull', ref, '-o', join(scratch, 'private.wasm'), '-u', 'alice', '--password-stdin'], {
      input: password,
    });
    expect(pulled.status).toBe(0);
  });

  it('gives a clear error, without the password, for a wrong password or none', () => {
    const ref = `${registry.host}/acme/private:0.1.0`;
    expect(wasmMeta(['push', componentPath, ref, '-u', 'alice', '--password-stdin'], { input: password }).status).toBe(
      0,
    );
    const wrong = wasmMeta(['pull', ref, '-o', join(scratch, 'never.wasm'), '-u', 'alice', '--password-stdin'], {
      input: 'hunter2',
    });
    expect(wrong.status).toBe(4);
    expect(wrong.stderr).toMatch(/the registry rejected the credentials of alice/);
    expect(wrong.stderr + wrong.stdout).not.toContain('hunter2');
    const anonymous = wasmMeta(['pull', ref, '-o', join(scratch, 'never.wasm')]);
    expect(anonymous.status).toBe(4);
    expect(anonymous.stderr).toMatch(/authentication required/);
    expect(existsSync(join(scratch, 'never.wasm'))).toBe(false);
  });

  it('takes credentials from the environment, Docker config.json and a Docker credential helper', () => {
    const ref = `${registry.host}/acme/private:0.1.0`;
    expect(wasmMeta(['push', componentPath, ref, '-u', 'alice', '--password-stdin'], { input: password }).status).toBe(
      0,
    );
    const fromEnv = wasmMeta(['inspect', ref], {
      env: isolatedEnv({ WASM_META_USERNAME: 'alice', WASM_META_PASSWORD: password }),
    });
    expect(fromEnv.status).toBe(0);

    const auths = isolatedEnv();
    mkdirSync(auths['DOCKER_CONFIG'] as string, { recursive: true });
    writeFileSync(
      join(auths['DOCKER_CONFIG'] as string, 'config.json'),
      JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`alice:${password}`).toString('base64') } } }),
    );
    expect(wasmMeta(['inspect', ref], { env: auths }).status).toBe(0);

    const helperDir = mkdtempSync(join(scratch, 'bin-'));
    const helper = join(helperDir, 'docker-credential-wasmmetatest');
    writeFileSync(
      helper,
      `#!/bin/sh\nread server\nif [ "$1" = get ] && [ "$server" = "${registry.host}" ]; then\n  printf '{"ServerURL":"%s","Username":"alice","Secret":"${password}"}' "$server"\nelse\n  echo "credentials not found" >&2; exit 1\nfi\n`,
      { mode: 0o755 },
    );
    const helped = isolatedEnv({ PATH: `${helperDir}:${process.env['PATH']}` });
    mkdirSync(helped['DOCKER_CONFIG'] as string, { recursive: true });
    writeFileSync(
      join(helped['DOCKER_CONFIG'] as string, 'config.json'),
      JSON.stringify({ credHelpers: { [registry.host]: 'wasmmetatest' } }),
    );
    const viaHelper = wasmMeta(['inspect', ref], { env: helped });
    expect(viaHelper.stderr).toBe('');
    expect(viaHelper.status).toBe(0);
    expect(viaHelper.stdout).not.toContain(password);
  });
});

describe.runIf(registryAvailable())('a real registry with token authentication', () => {
  let registry: TestRegistry;
  let tokens: TokenServer;
  beforeAll(async () => {
    tokens = await startTokenServer({ bob: 's3cret-token-pass' }, { anonymousPull: true });
    registry = await startRegistry({ token: tokens });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.close();
  });

  // The token server runs in this process: the CLI must run asynchronously so that it can answer.
  const run = (args: string[], input?: string) =>
    runCliAsync(args, { env: isolatedEnv(), ...(input === undefined ? {} : { input }) });

  it('exchanges credentials for a pull,push token, and pulls anonymously with a pull token', async () => {
    const ref = `${registry.host}/acme/tokened:0.1.0`;
    tokens.requests.length = 0;
    const pushed = await run(['push', componentPath, ref, '-u', 'bob', '--password-stdin'], 's3cret-token-pass');
    expect(pushed.stderr).toBe('');
    expect(pushed.status).toBe(0);
    // One exchange, asking for pull and push from the start.
    expect(tokens.requests).toEqual([{ scopes: ['repository:acme/tokened:pull,push'], user: 'bob' }]);
    const pulled = await run(['pull', ref, '-o', join(scratch, 'tokened.wasm')]);
    expect(pulled.status).toBe(0);
    expect(readFileSync(join(scratch, 'tokened.wasm')).equals(Buffer.from(COMPONENT))).toBe(true);
  });

  it('gives a clear error for a wrong password, and when anonymous access is not enough', async () => {
    const wrong = await run(
      ['push', componentPath, `${registry.host}/acme/tokened:latest`, '-u', 'bob', '--password-stdin'],
      'wrong-pass',
    );
    expect(wrong.status).toBe(4);
    expect(wrong.stderr).toMatch(/token service at 127\.0\.0\.1:\d+ rejected the credentials of bob/);
    expect(wrong.stderr).not.toContain('wrong-pass');
    const anonymousPush = await run(['push', componentPath, `${registry.host}/acme/tokened:latest`]);
    expect(anonymousPush.status).toBe(4);
    expect(anonymousPush.stderr).toMatch(
      /access denied for repository:acme\/tokened:pull,push|authentication required/,
    );
  });
});

describe.runIf(registryAvailable())('a registry killed during a transfer', () => {
  // A module with a 96 MiB data section (shared; linked here as large.wasm, the name the progress line shows).
  const large = join(scratch, 'large.wasm');
  beforeAll(() => linkSync(largeInput('data-96mib'), large));

  it('fails a pull with a clear error and leaves no partial output', async () => {
    const registry = await startRegistry();
    try {
      const ref = `${registry.host}/acme/large:1.0.0`;
      expect(wasmMeta(['push', large, ref]).status).toBe(0);
      const dir = mkdtempSync(join(scratch, 'killed-pull-'));
      const pulling = runCliAsync(['pull', ref, '-o', join(dir, 'large.wasm')], { env: isolatedEnv() });
      // Kill the registry as soon as the download has started writing, however long that takes.
      await waitFor(() => readdirSync(dir).length > 0, 'the download to start writing');
      registry.process.kill('SIGKILL');
      const result = await pulling;
      expect(result.status).toBe(6);
      expect(result.stderr).toMatch(/wasm-meta: error: 127\.0\.0\.1:\d+: .*(failed|terminated|closed|refused|reset)/i);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await registry.stop();
    }
  });

  it('shows progress on a terminal for a large transfer, and nothing extra otherwise', async () => {
    if (spawnSync('script', ['--version']).status !== 0) {
      console.warn('skipping the progress check: `script` (util-linux) is not installed');
      return;
    }
    const registry = await startRegistry();
    try {
      const command = `${process.execPath} ${join(REPO_ROOT, 'bin', 'wasm-meta.js')} push ${large} ${registry.host}/acme/large:progress`;
      const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], {
        encoding: 'utf8',
        env: isolatedEnv(),
        timeout: HANG_MS,
      });
      expect(onTerminal.status).toBe(0);
      expect(onTerminal.stdout).toMatch(/pushing large\.wasm 100% 100\.7\/100\.7 MB/);
      const piped = wasmMeta([
        'pull',
        `${registry.host}/acme/large:progress`,
        '-o',
        join(scratch, 'large-pulled.wasm'),
      ]);
      expect(piped.status).toBe(0);
      expect(piped.stderr).toBe('');
    } finally {
      await registry.stop();
    }
  });

  it('fails a push with a clear error', async () => {
    const registry = await startRegistry();
    try {
      const pushing = runCliAsync(['push', large, `${registry.host}/acme/large:2.0.0`], { env: isolatedEnv() });
      const uploads = join(
        registry.dir,
        'data',
        'docker',
        'registry',
        'v2',
        'repositories',
        'acme',
        'large',
        '_uploads',
      );
      // Kill the registry as soon as the upload has started, however long that takes.
      await waitFor(() => existsSync(uploads), 'the upload to start');
      registry.process.kill('SIGKILL');
      const result = await pushing;
      expect(result.status).toBe(6);
      expect(result.stderr).toMatch(/wasm-meta: error: 127\.0\.0\.1:\d+: /);
    } finally {
      await registry.stop();
    }
  });
});
