import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPE, serializeImageManifest } from '../../src/oci/artifact.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { Repository } from '../../src/oci/repository.js';
import { nodeSha256 } from '../../src/node/sha256.js';
import { type FakeRegistry, startFakeRegistry, tamperedLayer } from '../support/fake-registry.js';
import { waitFor } from '../support/hang.js';
import { type TestRegistry, registryAvailable, startRegistry } from '../support/registry.js';
import { failure } from '../support/errors.js';

const sha256 = (bytes: Uint8Array | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const encode = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

function clientFor(host: string): RegistryClient {
  return new RegistryClient({ registry: host, apiHost: host, plainHttp: true, attempts: 1 });
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

describe.runIf(registryAvailable())('Repository against a real registry (distribution 2.8)', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(undefined, { accessLog: true });
  });
  afterAll(async () => registry?.stop());

  const open = (name: string, push = false): Repository =>
    new Repository(clientFor(registry.host), name, { sha256: nodeSha256, push });

  it('pushes a blob once, then finds it present, and fetches it back whole or as a stream', async () => {
    const repository = open('acme/blobs', true);
    const bytes = encode('a blob of bytes');
    const blob = { digest: sha256(bytes), size: bytes.length };
    expect(await repository.blobExists(blob.digest)).toBe(false);
    let bodies = 0;
    const body = () => {
      bodies++;
      return bytes;
    };
    expect(await repository.pushBlob(blob, body)).toBe('uploaded');
    expect(await repository.pushBlob(blob, body)).toBe('present');
    expect(bodies).toBe(1);
    expect(await repository.blobExists(blob.digest)).toBe(true);
    expect(Buffer.from(await repository.fetchBlob(blob))).toEqual(Buffer.from(bytes));
    expect(await collect(await repository.fetchBlobStream(blob))).toEqual(Buffer.from(bytes));
  });

  it('reports the registry error code when an upload does not match its digest', async () => {
    const repository = open('acme/blobs', true);
    const error = await failure(repository.pushBlob({ digest: sha256('other'), size: 5 }, () => encode('bytes')));
    expect(error.code).toBe('registry');
    expect(error.message).toMatch(/DIGEST_INVALID/);
  });

  it('checks a blob against the size its descriptor gives', async () => {
    const repository = open('acme/sizes', true);
    const bytes = encode('0123456789');
    const digest = sha256(bytes);
    await repository.pushBlob({ digest, size: bytes.length }, () => bytes);
    const shorter = { digest, size: 4 };
    expect((await failure(repository.fetchBlob(shorter))).message).toMatch(
      /the blob sha256:[0-9a-f]{64} is longer than the 4 bytes its descriptor says/,
    );
    expect((await failure(repository.fetchBlobStream(shorter))).code).toBe('digest-mismatch');
    const longer = { digest, size: 11 };
    expect((await failure(repository.fetchBlob(longer))).message).toMatch(/has 10 bytes, not the 11/);
    expect((await failure(collect(await repository.fetchBlobStream(longer)))).message).toMatch(
      /has 10 bytes, not the 11/,
    );
    expect((await failure(repository.fetchBlob({ digest, size: 100 }, 50))).message).toMatch(
      /of 100 bytes is larger than the limit of 50/,
    );
  });

  it('pushes an image manifest, and fetches the same bytes by tag and by digest', async () => {
    const repository = open('acme/manifests', true);
    const config = encode('{}');
    const layer = encode('\0asm\x01\0\0\0');
    const configDescriptor = { mediaType: MEDIA_TYPE.config, digest: sha256(config), size: config.length };
    const layerDescriptor = { mediaType: MEDIA_TYPE.wasm, digest: sha256(layer), size: layer.length };
    const bytes = encode(serializeImageManifest(configDescriptor, layerDescriptor, { a: 'b' }));
    const missing = await failure(repository.pushImageManifest('1.0.0', bytes));
    expect(missing.message).toMatch(/MANIFEST_BLOB_UNKNOWN/);
    await repository.pushBlob(configDescriptor, () => config);
    await repository.pushBlob(layerDescriptor, () => layer);
    const pushed = await repository.pushImageManifest('1.0.0', bytes);
    expect(pushed.digest).toBe(sha256(bytes));
    const byTag = await repository.fetchImageManifest('1.0.0');
    expect(byTag.digest).toBe(pushed.digest);
    expect(Buffer.from(byTag.bytes)).toEqual(Buffer.from(bytes));
    expect(byTag.contentType).toBe(MEDIA_TYPE.imageManifest);
    const byDigest = await repository.fetchImageManifest(pushed.digest);
    expect(Buffer.from(byDigest.bytes)).toEqual(Buffer.from(bytes));
    const unknown = await failure(repository.fetchImageManifest('2.0.0'));
    expect(unknown.code).toBe('not-found');
    expect(unknown.message).toMatch(/: the tag 2\.0\.0 of acme\/\S+ was not found \(MANIFEST_UNKNOWN\)$/);
  });

  it('lists tags', async () => {
    const repository = open('acme/tagged', true);
    const config = encode('{"tags":true}');
    const layer = encode('layer');
    const configDescriptor = { mediaType: MEDIA_TYPE.config, digest: sha256(config), size: config.length };
    const layerDescriptor = { mediaType: MEDIA_TYPE.wasm, digest: sha256(layer), size: layer.length };
    await repository.pushBlob(configDescriptor, () => config);
    await repository.pushBlob(layerDescriptor, () => layer);
    const bytes = encode(serializeImageManifest(configDescriptor, layerDescriptor, {}));
    const tags = ['0.1.0', '0.2.0', '0.10.0', 'latest', 'sha256-abc'];
    for (const tag of tags) await repository.pushImageManifest(tag, bytes);
    expect((await repository.listTags()).sort()).toEqual([...tags].sort());
    const neverPushed = await failure(open('acme/never-pushed').listTags());
    expect(neverPushed.code).toBe('not-found');
    expect(neverPushed.message).toMatch(/: the repository acme\/never-pushed was not found \(NAME_UNKNOWN\)$/);
  });

  it('refuses names, tags and digests that would not be one path segment of the API', async () => {
    expect(() => open('Acme/Upper')).toThrow(/not a valid repository name/);
    expect(() => open('acme/../x')).toThrow(/not a valid repository name/);
    const repository = open('acme/blobs');
    expect((await failure(repository.fetchImageManifest('../../v2/_catalog'))).code).toBe('invalid-reference');
    expect((await failure(repository.blobExists('sha256:short'))).code).toBe('invalid-reference');
    expect((await failure(repository.pushImageManifest(`sha256:${'0'.repeat(64)}`, encode('{}')))).code).toBe(
      'invalid-reference',
    );
    // A request that did reach the registry shows in its log; none of these did.
    expect(await repository.blobExists(sha256('marker'))).toBe(false);
    // The registry's access log arrives through this process's event loop.
    await waitFor(() => registry.log.some((line) => line.includes(sha256('marker'))), "the marker blob's log line");
    expect(registry.log.filter((line) => /_catalog|sha256:short|sha256:0{64}/.test(line))).toEqual([]);
  });
});

describe('Repository against faults a real registry does not produce', () => {
  async function withFake<T>(run: (fake: FakeRegistry, repository: Repository) => Promise<T>): Promise<T> {
    const fake = await startFakeRegistry();
    try {
      return await run(fake, new Repository(clientFor(fake.host), 'acme/hello', { sha256: nodeSha256 }));
    } finally {
      await fake.close();
    }
  }

  it('streams every chunk of a tampered blob, then fails before the stream ends', async () => {
    await withFake(async (fake, repository) => {
      fake.fault = tamperedLayer(fake);
      const received: number[] = [];
      let completed = false;
      const error = await failure(
        (async () => {
          for await (const chunk of await repository.fetchBlobStream({
            digest: fake.layerDigest,
            size: fake.layer.length,
          })) {
            received.push(chunk.length);
          }
          completed = true;
        })(),
      );
      expect(error.code).toBe('digest-mismatch');
      expect(error.message).toContain(`the blob ${fake.layerDigest} hashes to sha256:`);
      expect(received.reduce((a, b) => a + b, 0)).toBe(fake.layer.length);
      expect(completed).toBe(false);
    });
  });

  it('follows Link pagination of the tag list (distribution 2.8 ignores ?n=, so it never paginates)', async () => {
    await withFake(async (fake, repository) => {
      const pages: Record<string, { tags: string[]; next?: string }> = {
        'n=2': { tags: ['0.1.0', '0.2.0'], next: '/v2/acme/hello/tags/list?n=2&last=0.2.0' },
        'n=2&last=0.2.0': { tags: ['0.10.0', 'latest'], next: '/v2/acme/hello/tags/list?n=2&last=latest' },
        'n=2&last=latest': { tags: ['sha256-abc'] },
      };
      const asked: string[] = [];
      fake.fault = (request, response) => {
        const url = new URL(request.url ?? '/', 'http://x');
        if (url.pathname !== '/v2/acme/hello/tags/list') return false;
        const query = url.search.slice(1);
        asked.push(query);
        const page = pages[query];
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (page?.next !== undefined) headers['link'] = `<${page.next}>; rel="next"`;
        response.writeHead(200, headers).end(JSON.stringify({ name: 'acme/hello', tags: page?.tags ?? [] }));
        return true;
      };
      expect(await repository.listTags({ pageSize: 2 })).toEqual(['0.1.0', '0.2.0', '0.10.0', 'latest', 'sha256-abc']);
      expect(asked).toEqual(['n=2', 'n=2&last=0.2.0', 'n=2&last=latest']);
    });
  });

  it('refuses an image manifest whose Docker-Content-Digest is not the digest of its bytes', async () => {
    await withFake(async (fake, repository) => {
      fake.fault = (request, response) => {
        if (!request.url?.includes('/manifests/')) return false;
        response
          .writeHead(200, {
            'content-type': MEDIA_TYPE.imageManifest,
            'docker-content-digest': sha256('something else'),
          })
          .end('{"schemaVersion":2}');
        return true;
      };
      const error = await failure(repository.fetchImageManifest('1.0.0'));
      expect(error.code).toBe('digest-mismatch');
      expect(error.message).toMatch(
        /the registry says the image manifest is sha256:[0-9a-f]{64}, but its bytes hash to/,
      );
    });
  });
});
