import { createHash } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectReference } from '../../src/node/oci.js';
import { nodeSha256 } from '../../src/node/sha256.js';
import {
  EMPTY_JSON,
  attachArtifact,
  buildReferrerManifest,
  listReferrers,
  referrersTag,
  subjectDescriptor,
} from '../../src/oci/referrers.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { Repository } from '../../src/oci/repository.js';
import { failure } from '../support/errors.js';
import { startFakeRegistry } from '../support/fake-registry.js';

/**
 * The referrers API path, over recorded responses: distribution 2.8, the registry the other OCI
 * tests start, has no referrers API, so a small local server answers here as a registry with the
 * API does (the responses follow distribution-spec 1.1's examples: an image index with
 * `artifactType` and annotations per descriptor, `Link` pagination, `OCI-Filters-Applied`,
 * `OCI-Subject` on a manifest push). The fallback's corner cases that a real registry cannot be
 * made to produce (a referrers tag that is not an index, another client overwriting it) are
 * answered here too. The fallback itself is tested on the real registry in
 * referrers-registry.test.ts.
 */

const sha256 = (bytes: Uint8Array | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const SUBJECT_MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: MANIFEST,
  config: { mediaType: 'application/vnd.wasm.config.v0+json', digest: sha256('config'), size: 6 },
  layers: [{ mediaType: 'application/wasm', digest: sha256('layer'), size: 5 }],
});
const SUBJECT = sha256(SUBJECT_MANIFEST);
const SBOM = { mediaType: MANIFEST, digest: sha256('sbom'), size: 700, artifactType: 'application/vnd.cyclonedx+json' };
const SIGNATURE = {
  mediaType: MANIFEST,
  digest: sha256('signature'),
  size: 800,
  artifactType: 'application/vnd.cncf.notary.signature',
  annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': '["abc"]' },
};

interface Recorded {
  method: string;
  url: string;
  body: string;
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => boolean;

/** A registry from recorded answers: `handle` answers what it knows, anything else is a 404. */
async function startRecordedRegistry(
  handle: Handler,
): Promise<{ host: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ method: request.method ?? 'GET', url: request.url ?? '/', body });
      if (request.method === 'GET' && request.url === `/v2/acme/app/manifests/1.0.0`) {
        response.writeHead(200, { 'content-type': MANIFEST, 'docker-content-digest': SUBJECT }).end(SUBJECT_MANIFEST);
        return;
      }
      if (handle(request, response, body)) return;
      response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const host = `127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  return {
    host,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

async function open(handle: Handler): Promise<{ repository: Repository; requests: Recorded[] }> {
  const server = await startRecordedRegistry(handle);
  closeServer = server.close;
  const client = new RegistryClient({ registry: server.host, apiHost: server.host, plainHttp: true, attempts: 1 });
  return {
    repository: new Repository(client, 'acme/app', { sha256: nodeSha256, push: true }),
    requests: server.requests,
  };
}

const json = (response: ServerResponse, value: unknown, headers: Record<string, string> = {}): true => {
  response.writeHead(200, { 'content-type': INDEX, ...headers }).end(JSON.stringify(value));
  return true;
};

/** Blobs are present; pushed manifests are stored (201, their digest echoed), with `extra` headers. */
function acceptingPushes(extra: (body: string) => Record<string, string>): Handler {
  return (request, response, body) => {
    if (request.method === 'HEAD' && request.url?.startsWith('/v2/acme/app/blobs/')) {
      response.writeHead(200).end();
      return true;
    }
    if (request.method === 'PUT' && request.url?.startsWith('/v2/acme/app/manifests/')) {
      response.writeHead(201, { 'docker-content-digest': sha256(body), ...extra(body) }).end();
      return true;
    }
    return false;
  };
}

describe('the referrers tag schema', () => {
  it('truncates and replaces characters as distribution-spec 1.1 says (its own examples)', () => {
    const a64 = 'a'.repeat(64);
    expect(referrersTag(`sha256:${a64}`)).toBe(`sha256-${a64}`);
    expect(referrersTag(`sha512:${'a'.repeat(128)}`)).toBe(`sha512-${a64}`);
    expect(
      referrersTag(
        'test+algorithm+using+algorithm+separators+and+lots+of+characters+to+excercise+overall+truncation:alsoSome=InTheEncodedSectionToShowHyphenReplacementAndLotsAndLotsOfCharactersToExcerciseEncodedTruncation',
      ),
    ).toBe('test-algorithm-using-algorithm-s-alsoSome-InTheEncodedSectionToShowHyphenReplacementAndLotsAndLot');
  });
});

describe('the attached artifact', () => {
  it("is laid out as image-spec 1.1's artifact guidelines and oras attach lay it out, reproducibly", () => {
    const inputs = {
      artifactType: 'application/vnd.cyclonedx+json',
      subject: { mediaType: MANIFEST, digest: SUBJECT, size: SUBJECT_MANIFEST.length },
      layer: { mediaType: 'application/vnd.cyclonedx+json', digest: sha256('{}'), size: 2 },
      annotations: { b: '2', a: '1' },
    };
    const built = buildReferrerManifest(inputs, nodeSha256);
    expect(built.text).toBe(
      `{"schemaVersion":2,"mediaType":"${MANIFEST}","artifactType":"application/vnd.cyclonedx+json",` +
        `"config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"${EMPTY_JSON.digest}","size":2},` +
        `"layers":[{"mediaType":"application/vnd.cyclonedx+json","digest":"${sha256('{}')}","size":2}],` +
        `"subject":{"mediaType":"${MANIFEST}","digest":"${SUBJECT}","size":${SUBJECT_MANIFEST.length}},` +
        `"annotations":{"a":"1","b":"2"}}`,
    );
    expect(EMPTY_JSON.digest).toBe(sha256('{}'));
    expect(built.descriptor).toEqual({
      mediaType: MANIFEST,
      digest: sha256(built.text),
      size: built.text.length,
      annotations: { a: '1', b: '2' },
      artifactType: 'application/vnd.cyclonedx+json',
    });
    expect(buildReferrerManifest(inputs, nodeSha256).text).toBe(built.text);
    expect(() => buildReferrerManifest({ ...inputs, artifactType: 'sbom' }, nodeSha256)).toThrow(/not a media type/);
  });
});

describe('the referrers API (recorded responses; distribution 2.8 lacks the API)', () => {
  it('lists every page, and trusts the filter the registry says it applied', async () => {
    const { repository, requests } = await open((request, response) => {
      const url = request.url ?? '';
      if (url === `/v2/acme/app/referrers/${SUBJECT}`) {
        return json(
          response,
          { schemaVersion: 2, mediaType: INDEX, manifests: [SBOM] },
          {
            link: `</v2/acme/app/referrers/${SUBJECT}?n=1&last=1>; rel="next"`,
          },
        );
      }
      if (url === `/v2/acme/app/referrers/${SUBJECT}?n=1&last=1`) {
        return json(response, { schemaVersion: 2, mediaType: INDEX, manifests: [SIGNATURE] });
      }
      if (url === `/v2/acme/app/referrers/${SUBJECT}?artifactType=application%2Fvnd.cyclonedx%2Bjson`) {
        return json(
          response,
          { schemaVersion: 2, mediaType: INDEX, manifests: [SBOM] },
          {
            'oci-filters-applied': 'artifactType',
          },
        );
      }
      return false;
    });
    expect(await listReferrers(repository, SUBJECT)).toEqual({ referrers: [SBOM, SIGNATURE], source: 'api' });
    expect(await listReferrers(repository, SUBJECT, { artifactType: 'application/vnd.cyclonedx+json' })).toEqual({
      referrers: [SBOM],
      source: 'api',
    });
    // The API answered: the referrers tag is never read.
    expect(requests.filter((r) => r.url.includes('/manifests/sha256-'))).toEqual([]);
  });

  it('filters by artifact type itself when the registry did not', async () => {
    const { repository } = await open((request, response) => {
      if (!request.url?.startsWith(`/v2/acme/app/referrers/${SUBJECT}`)) return false;
      return json(response, { schemaVersion: 2, mediaType: INDEX, manifests: [SBOM, SIGNATURE] });
    });
    const list = await listReferrers(repository, SUBJECT, { artifactType: SIGNATURE.artifactType });
    expect(list.referrers).toEqual([SIGNATURE]);
  });

  it('leaves the referrers tag alone when the registry answers a push with OCI-Subject', async () => {
    const { repository, requests } = await open(acceptingPushes(() => ({ 'oci-subject': SUBJECT })));
    const subject = await subjectDescriptor(repository, '1.0.0');
    expect(subject).toEqual({ mediaType: MANIFEST, digest: SUBJECT, size: SUBJECT_MANIFEST.length });
    const bytes = new TextEncoder().encode('{"bomFormat":"CycloneDX"}');
    const attached = await attachArtifact(repository, subject, bytes, {
      artifactType: 'application/vnd.cyclonedx+json',
      title: 'app.cdx.json',
    });
    expect(attached.listing).toBe('api');
    expect(attached.skipped).toEqual([EMPTY_JSON.digest, sha256(bytes)]);
    const pushes = requests.filter((r) => r.method === 'PUT');
    expect(pushes.map((r) => r.url)).toEqual([`/v2/acme/app/manifests/${attached.digest}`]);
    expect(JSON.parse(pushes[0]?.body ?? '').subject).toEqual(subject);
    expect(requests.filter((r) => r.url.includes('sha256-'))).toEqual([]);
  });
});

describe('the referrers tag, where the API is missing', () => {
  it('reads the tag when the API answers 200 with something that is not an image index (as oras-go does)', async () => {
    const tag = referrersTag(SUBJECT);
    const index = JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: [SIGNATURE] });
    const { repository } = await open((request, response) => {
      if (request.url?.startsWith('/v2/acme/app/referrers/')) {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>a proxy</html>');
        return true;
      }
      if (request.url === `/v2/acme/app/manifests/${tag}`) {
        response.writeHead(200, { 'content-type': INDEX }).end(index);
        return true;
      }
      return false;
    });
    expect(await listReferrers(repository, SUBJECT)).toEqual({ referrers: [SIGNATURE], source: { tag } });
  });

  it('counts a tag that is not an image index as no referrers, and refuses to overwrite it', async () => {
    const tag = referrersTag(SUBJECT);
    const { repository, requests } = await open((request, response, body) => {
      if (request.method === 'GET' && request.url === `/v2/acme/app/manifests/${tag}`) {
        response.writeHead(200, { 'content-type': MANIFEST }).end(SUBJECT_MANIFEST);
        return true;
      }
      return acceptingPushes(() => ({}))(request, response, body);
    });
    expect(await listReferrers(repository, SUBJECT)).toEqual({ referrers: [], source: { tag } });
    const subject = await subjectDescriptor(repository, '1.0.0');
    const error = await failure(
      attachArtifact(repository, subject, new TextEncoder().encode('x'), { artifactType: 'text/plain' }),
    );
    expect(error.code).toBe('registry');
    expect(error.message).toMatch(/the referrers tag sha256-[0-9a-f]{64} does not hold a referrers image index/);
    expect(requests.filter((r) => r.method === 'PUT' && r.url.endsWith(tag))).toEqual([]);
  });

  it("keeps other clients' entries, and adds its own again when another client's update overwrote it", async () => {
    const tag = referrersTag(SUBJECT);
    // Another client's entry, with a field wasm-meta does not know, which must survive as it is.
    const theirs = { ...SIGNATURE, data: 'e30=' };
    let stored = JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: [theirs] });
    let tagPushes = 0;
    const { repository } = await open((request, response, body) => {
      if (request.url === `/v2/acme/app/manifests/${tag}`) {
        if (request.method === 'GET') {
          response.writeHead(200, { 'content-type': INDEX }).end(stored);
          return true;
        }
        tagPushes++;
        // The first update is lost: another client pushed its own list in between.
        if (tagPushes > 1) stored = body;
        response.writeHead(201, { 'docker-content-digest': sha256(body) }).end();
        return true;
      }
      return acceptingPushes(() => ({}))(request, response, body);
    });
    const subject = await subjectDescriptor(repository, '1.0.0');
    const attached = await attachArtifact(repository, subject, new TextEncoder().encode('x'), {
      artifactType: 'text/plain',
    });
    expect(tagPushes).toBe(2);
    expect(attached.listing).toEqual({ tag, alreadyListed: false });
    expect(JSON.parse(stored)).toEqual({
      schemaVersion: 2,
      mediaType: INDEX,
      manifests: [theirs, attached.manifest.descriptor],
    });
  });
});

describe('the count in inspect', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-referrers-count-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is null, with a warning, when the registry fails to list the referrers: the artifact itself was read', async () => {
    const fake = await startFakeRegistry();
    closeServer = fake.close;
    fake.fault = (request, response) => {
      if (!request.url?.includes('/referrers/')) return false;
      response
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"UNKNOWN","message":"referrers are broken"}]}');
      return true;
    };
    const inspection = await inspectReference(`${fake.host}/acme/hello:1.0.0`, {
      retry: { attempts: 1 },
      env: { DOCKER_CONFIG: join(scratch, 'no-docker'), XDG_CONFIG_HOME: join(scratch, 'no-config') },
    });
    expect(inspection.referrers).toBeNull();
    expect(inspection.layer.digest).toBe(fake.layerDigest);
    expect(inspection.warnings).toEqual([
      expect.stringMatching(/^the referrers could not be listed: .*UNKNOWN: referrers are broken \(HTTP 500 on GET/),
    ]);
  });
});
