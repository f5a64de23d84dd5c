import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { MEDIA_TYPE, serializeConfig, serializeImageManifest } from '../../src/oci/artifact.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { Repository } from '../../src/oci/repository.js';
import { nodeSha256 } from '../../src/node/sha256.js';
import { type CliResult, runCli } from '../support/cli.js';
import { isolatedEnvIn } from '../support/env.js';
import { sha256 } from '../support/fake-registry.js';
import { type TestRegistry, registryAvailable, startRegistry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';

const OCI = 'org.opencontainers.image.';
const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-references-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An environment with no user configuration, and a wkg config whose default registry is `registry`. */
function isolatedEnv(registry?: string): NodeJS.ProcessEnv {
  const { env, home } = isolatedEnvIn(scratch);
  if (registry !== undefined) {
    mkdirSync(join(home, 'config', 'wasm-pkg'), { recursive: true });
    writeFileSync(join(home, 'config', 'wasm-pkg', 'config.toml'), `default_registry = "${registry}"\n`);
  }
  return env;
}

const wasmMeta = (args: string[], env = isolatedEnv()): CliResult => runCli(args, { env });

/** The example component with version 0.1.0 in its `version` section. */
const componentPath = join(scratch, 'hello.wasm');
writeFileSync(
  componentPath,
  joinChunks(
    applyEdit(new Uint8Array(readFileSync(join(REPO_ROOT, 'examples', 'hello.wasm'))), {
      version: '0.1.0',
      licenses: 'MIT',
    }).chunks,
  ),
);
const layer = readFileSync(componentPath);

describe.runIf(registryAvailable())('references and values as users write them, against a real registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => registry?.stop());

  const open = (name: string, push = false): Repository =>
    new Repository(
      new RegistryClient({ registry: registry.host, apiHost: registry.host, plainHttp: true, attempts: 1 }),
      name,
      { sha256: nodeSha256, push },
    );
  const tags = async (name: string): Promise<string[] | 'no repository'> =>
    open(name)
      .listTags()
      .catch(() => 'no repository' as const);

  it('refuses a push whose reference pins another digest: exit 7, nothing uploaded, nothing tagged', async () => {
    const wrong = `sha256:${'0'.repeat(64)}`;
    const result = wasmMeta(['push', componentPath, `${registry.host}/acme/pinned:1@${wrong}`]);
    expect(result.status).toBe(7);
    expect(result.stderr).toMatch(
      new RegExp(
        `^wasm-meta: error: the reference pins ${wrong}, but the image manifest to push is sha256:[0-9a-f]{64}; nothing was pushed\\n$`,
      ),
    );
    expect(await tags('acme/pinned')).toBe('no repository');
    expect(await open('acme/pinned').blobExists(sha256(layer))).toBe(false);
  });

  it('pushes when the pinned digest is what is pushed, under the tag or by digest alone', async () => {
    const first = wasmMeta(['push', componentPath, `${registry.host}/acme/pinned-ok:1`, '--json']);
    expect(first.status).toBe(0);
    const digest = (JSON.parse(first.stdout) as { digest: string }).digest;
    const tagged = wasmMeta(['push', componentPath, `${registry.host}/acme/pinned-ok:2@${digest}`]);
    expect(tagged.stderr).toBe('');
    expect(tagged.status).toBe(0);
    expect((await open('acme/pinned-ok').fetchImageManifest('2')).digest).toBe(digest);
    const byDigest = wasmMeta(['push', componentPath, `${registry.host}/acme/pinned-ok@${digest}`, '--json']);
    expect(byDigest.status).toBe(0);
    expect((JSON.parse(byDigest.stdout) as { reference: string }).reference).toBe(
      `${registry.host}/acme/pinned-ok@${digest}`,
    );
    expect(((await tags('acme/pinned-ok')) as string[]).sort()).toEqual(['1', '2']);
  });

  it('refuses a wkg package whose version section is not its version, unless --force; a plain tag only warns', async () => {
    const env = isolatedEnv(registry.host);
    const refused = wasmMeta(['push', componentPath, 'acme:versioned@0.2.0'], env);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toBe(
      'wasm-meta: error: the version section says 0.1.0, but the package is pushed as acme:versioned@0.2.0: push it as acme:versioned@0.1.0, set the section (wasm-meta add --version 0.2.0), or give --force\n',
    );
    expect(await tags('acme/versioned')).toBe('no repository');
    const same = wasmMeta(['push', componentPath, 'acme:versioned@0.1.0'], env);
    expect(same.stderr).toBe('');
    expect(same.status).toBe(0);
    const forced = wasmMeta(['push', componentPath, 'acme:versioned@0.2.0', '--force'], env);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toBe('warning: the version section (0.1.0) differs from the tag 0.2.0\n');
    expect(((await tags('acme/versioned')) as string[]).sort()).toEqual(['0.1.0', '0.2.0']);
    const plain = wasmMeta(['push', componentPath, `${registry.host}/acme/plain:0.2.0`]);
    expect(plain.status).toBe(0);
    expect(plain.stderr).toBe('warning: the version section (0.1.0) differs from the tag 0.2.0\n');
  });

  it('refuses a reference with a scheme, naming the fix, before reaching any registry', () => {
    const https = wasmMeta(['push', componentPath, `https://${registry.host}/acme/scheme:1`]);
    expect(https.status).toBe(1);
    expect(https.stderr).toBe(
      `wasm-meta: error: "https://${registry.host}/acme/scheme:1" is not a valid OCI reference: a reference has no scheme (https://); write "${registry.host}/acme/scheme:1"\n`,
    );
    const http = wasmMeta(['pull', `http://${registry.host}/acme/scheme:1`]);
    expect(http.status).toBe(1);
    expect(http.stderr).toContain(`with --insecure ${registry.host} if the registry speaks plain HTTP`);
  });

  it('writes created in canonical RFC 3339 UTC in the annotation and the config', async () => {
    const pushed = wasmMeta([
      'push',
      componentPath,
      `${registry.host}/acme/created:1`,
      '--created',
      '2026-01-01t01:00:00+01:00',
      '--json',
    ]);
    expect(pushed.status).toBe(0);
    const { annotations, manifest } = JSON.parse(pushed.stdout) as {
      annotations: Record<string, string>;
      manifest: { config: { digest: string; size: number } };
    };
    expect(annotations[`${OCI}created`]).toBe('2026-01-01T00:00:00Z');
    const config = JSON.parse(Buffer.from(await open('acme/created').fetchBlob(manifest.config)).toString());
    expect(config.created).toBe('2026-01-01T00:00:00Z');
  });

  it("refuses on pull and inspect a config whose layerDigests are not the image manifest's layers: exit 7", async () => {
    const repository = open('acme/layer-digests', true);
    const layerDescriptor = { mediaType: MEDIA_TYPE.wasm, digest: sha256(layer), size: layer.length };
    await repository.pushBlob(layerDescriptor, () => new Uint8Array(layer));
    const push = async (tag: string, layerDigests: string[]): Promise<void> => {
      const config = new TextEncoder().encode(
        serializeConfig({ created: '2026-01-01T00:00:00Z', author: null, os: 'wasip2', layerDigests, component: null }),
      );
      const configDescriptor = { mediaType: MEDIA_TYPE.config, digest: sha256(config), size: config.length };
      await repository.pushBlob(configDescriptor, () => config);
      const manifest = new TextEncoder().encode(serializeImageManifest(configDescriptor, layerDescriptor, {}));
      await repository.pushImageManifest(tag, manifest);
    };
    await push('good', [sha256(layer)]);
    await push('bad', [sha256('another layer')]);
    const dir = mkdtempSync(join(scratch, 'layer-digests-'));
    const good = wasmMeta(['pull', `${registry.host}/acme/layer-digests:good`, '-o', join(dir, 'good.wasm')]);
    expect(good.status).toBe(0);
    const bad = wasmMeta(['pull', `${registry.host}/acme/layer-digests:bad`, '-o', join(dir, 'bad.wasm')]);
    expect(bad.status).toBe(7);
    expect(bad.stderr).toBe(
      `wasm-meta: error: the config lists the layers ${sha256('another layer')}, but the image manifest has ${sha256(layer)}\n`,
    );
    expect(readdirSync(dir)).toEqual(['good.wasm']);
    expect(wasmMeta(['inspect', `${registry.host}/acme/layer-digests:bad`]).status).toBe(7);
  });
});
