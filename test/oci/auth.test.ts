import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/oci/auth.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { Repository } from '../../src/oci/repository.js';
import { nodeSha256 } from '../../src/node/sha256.js';
import { startFakeRegistry } from '../support/fake-registry.js';
import { type TestRegistry, registryAvailable, startRegistry } from '../support/registry.js';
import { type TokenServer, startTokenServer } from '../support/token-server.js';
import { failure } from '../support/errors.js';

const sha256 = (bytes: Uint8Array | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const BLOB = new TextEncoder().encode('authenticated bytes');
const BLOB_DESCRIPTOR = { digest: sha256(BLOB), size: BLOB.length };

/** A client whose credential lookups are counted. */
function countingClient(host: string, credentials: Credentials | undefined) {
  const lookups = { count: 0 };
  const client = new RegistryClient({
    registry: host,
    apiHost: host,
    plainHttp: true,
    attempts: 1,
    credentials: async () => {
      lookups.count++;
      return credentials;
    },
  });
  return { client, lookups };
}

describe.runIf(registryAvailable())('credentials are looked up only when asked for, and once', () => {
  it('never looks them up for a registry that does not ask', async () => {
    const registry = await startRegistry();
    try {
      const { client, lookups } = countingClient(registry.host, { username: 'alice', password: 'unused' });
      const repository = new Repository(client, 'acme/open', { sha256: nodeSha256, push: true });
      expect(await repository.pushBlob(BLOB_DESCRIPTOR, () => BLOB)).toBe('uploaded');
      expect(Buffer.from(await repository.fetchBlob(BLOB_DESCRIPTOR))).toEqual(Buffer.from(BLOB));
      expect(lookups.count).toBe(0);
    } finally {
      await registry.stop();
    }
  });

  it('looks them up once for many requests to a registry with Basic authentication', async () => {
    const registry = await startRegistry({ htpasswd: `alice:${bcrypt.hashSync('pass-word', 6)}\n` });
    try {
      const { client, lookups } = countingClient(registry.host, { username: 'alice', password: 'pass-word' });
      const repository = new Repository(client, 'acme/private', { sha256: nodeSha256, push: true });
      expect(await repository.pushBlob(BLOB_DESCRIPTOR, () => BLOB)).toBe('uploaded');
      expect(await repository.blobExists(BLOB_DESCRIPTOR.digest)).toBe(true);
      expect(Buffer.from(await repository.fetchBlob(BLOB_DESCRIPTOR))).toEqual(Buffer.from(BLOB));
      expect(lookups.count).toBe(1);

      const wrong = countingClient(registry.host, { username: 'alice', password: 'not-the-pass-word' });
      const refused = await failure(
        new Repository(wrong.client, 'acme/private', { sha256: nodeSha256 }).blobExists(BLOB_DESCRIPTOR.digest),
      );
      expect(refused.code).toBe('unauthorized');
      expect(refused.message).toMatch(/the registry rejected the credentials of alice/);
      expect(refused.message).not.toContain('not-the-pass-word');
      expect(wrong.lookups.count).toBe(1);
    } finally {
      await registry.stop();
    }
  });

  it('sends them to a registry named in another spelling of its address (127.1, LOCALHOST)', async () => {
    // URLs normalize the host (127.1 is 127.0.0.1, host names are lower case); the credentials
    // must still go to the registry's own origin, and only to it.
    const registry = await startRegistry({ htpasswd: `alice:${bcrypt.hashSync('pass-word', 6)}\n` });
    try {
      const port = registry.host.split(':').at(-1) as string;
      for (const host of [`127.1:${port}`, `LOCALHOST:${port}`]) {
        const { client, lookups } = countingClient(host, { username: 'alice', password: 'pass-word' });
        const repository = new Repository(client, 'acme/spelled', { sha256: nodeSha256, push: true });
        expect(await repository.pushBlob(BLOB_DESCRIPTOR, () => BLOB)).toBe(
          host.startsWith('127.1') ? 'uploaded' : 'present',
        );
        expect(await repository.blobExists(BLOB_DESCRIPTOR.digest)).toBe(true);
        expect(lookups.count).toBe(1);
      }
    } finally {
      await registry.stop();
    }
  });
});

describe.runIf(registryAvailable())('bearer tokens from a token service', () => {
  let registry: TestRegistry;
  let tokens: TokenServer;
  beforeAll(async () => {
    tokens = await startTokenServer({ bob: 'token-pass' }, { anonymousPull: true });
    registry = await startRegistry({ token: tokens });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.close();
  });

  it('exchanges once per scope and reuses the cached token', async () => {
    tokens.requests.length = 0;
    const { client, lookups } = countingClient(registry.host, { username: 'bob', password: 'token-pass' });
    const pusher = new Repository(client, 'acme/tokens', { sha256: nodeSha256, push: true });
    expect(await pusher.pushBlob(BLOB_DESCRIPTOR, () => BLOB)).toBe('uploaded');
    expect(await pusher.blobExists(BLOB_DESCRIPTOR.digest)).toBe(true);
    expect(tokens.requests).toEqual([{ scopes: ['repository:acme/tokens:pull,push'], user: 'bob' }]);
    // Another scope on the same registry needs a token of its own, once.
    const puller = new Repository(client, 'acme/tokens', { sha256: nodeSha256 });
    expect(Buffer.from(await puller.fetchBlob(BLOB_DESCRIPTOR))).toEqual(Buffer.from(BLOB));
    expect(await puller.blobExists(BLOB_DESCRIPTOR.digest)).toBe(true);
    expect(tokens.requests.map((r) => r.scopes)).toEqual([
      ['repository:acme/tokens:pull,push'],
      ['repository:acme/tokens:pull'],
    ]);
    expect(lookups.count).toBe(1);
  });

  it('reports a push that anonymous access does not allow, with its scope', async () => {
    const { client } = countingClient(registry.host, undefined);
    const repository = new Repository(client, 'acme/tokens', { sha256: nodeSha256, push: true });
    const error = await failure(
      repository.pushBlob({ digest: sha256('new'), size: 3 }, () => new TextEncoder().encode('new')),
    );
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/repository:acme\/tokens:pull,push/);
  });
});

describe('credentials and plain HTTP', () => {
  it('never sends a token obtained with credentials over plain HTTP to a host that is not loopback', async () => {
    const tokens = await startTokenServer({ bob: 'token-pass' });
    // 127.0.0.2 reaches this machine but is not one of the loopback names wasm-meta trusts.
    const fake = await startFakeRegistry({
      address: '127.0.0.2',
      challenge: `Bearer realm="${tokens.realm}",service="${tokens.service}"`,
    });
    try {
      const { client } = countingClient(fake.host, { username: 'bob', password: 'token-pass' });
      const repository = new Repository(client, 'acme/hello', { sha256: nodeSha256 });
      const error = await failure(repository.fetchImageManifest('1.0.0'));
      expect(error.code).toBe('insecure');
      expect(error.message).toBe(`${fake.host}: refusing to send credentials over plain HTTP to ${fake.host}`);
      expect(tokens.requests).toEqual([]);
      expect(fake.requests.every((r) => r.authorization === undefined)).toBe(true);
    } finally {
      await fake.close();
      await tokens.close();
    }
  });
});
