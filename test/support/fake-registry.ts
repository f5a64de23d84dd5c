import { createHash } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';

/**
 * A minimal registry that serves one Wasm artifact from memory, for faults a real registry
 * cannot produce on demand (429 with Retry-After, wrong digests, redirects to another host,
 * oversized bodies, resets). Every request is recorded with its Authorization header.
 */
export interface FakeRegistry {
  host: string;
  requests: Array<{ method: string; path: string; authorization: string | undefined }>;
  /** Replaces the handling of one request; return true if it answered. */
  fault: ((request: IncomingMessage, response: ServerResponse, count: number) => boolean) | undefined;
  layer: Uint8Array;
  layerDigest: string;
  close(): Promise<void>;
}

export const sha256 = (bytes: Uint8Array | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Starts a fake registry on `address` (127.0.0.1 by default) serving `repo:tag`. */
export async function startFakeRegistry(
  options: { address?: string; repo?: string; tag?: string; layer?: Uint8Array; challenge?: string } = {},
): Promise<FakeRegistry> {
  const repo = options.repo ?? 'acme/hello';
  const tag = options.tag ?? '1.0.0';
  const layer = options.layer ?? Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  const layerDigest = sha256(layer);
  const config = Buffer.from(
    JSON.stringify({
      created: '1970-01-01T00:00:00Z',
      author: null,
      architecture: 'wasm',
      os: 'wasip1',
      layerDigests: [layerDigest],
      component: null,
    }),
  );
  const imageManifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.wasm.config.v0+json', digest: sha256(config), size: config.length },
      layers: [
        {
          mediaType: 'application/wasm',
          digest: layerDigest,
          size: layer.length,
          annotations: { 'org.opencontainers.image.title': 'hello.wasm' },
        },
      ],
    }),
  );
  const requests: FakeRegistry['requests'] = [];
  let count = 0;
  const fake: FakeRegistry = { host: '', requests, fault: undefined, layer, layerDigest, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] as string;
    requests.push({ method: request.method ?? 'GET', path, authorization: request.headers.authorization });
    count++;
    if (fake.fault?.(request, response, count)) return;
    if (options.challenge !== undefined && request.headers.authorization === undefined) {
      response.writeHead(401, { 'www-authenticate': options.challenge }).end();
      return;
    }
    if (path === '/v2/') return void response.writeHead(200).end('{}');
    if (path === `/v2/${repo}/manifests/${tag}` || path === `/v2/${repo}/manifests/${sha256(imageManifest)}`) {
      return void response
        .writeHead(200, {
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
          'docker-content-digest': sha256(imageManifest),
        })
        .end(imageManifest);
    }
    if (path === `/v2/${repo}/blobs/${sha256(config)}`) return void response.writeHead(200).end(config);
    if (path === `/v2/${repo}/blobs/${layerDigest}`)
      return void response.writeHead(200, { 'content-length': layer.length }).end(layer);
    response
      .writeHead(404, { 'content-type': 'application/json' })
      .end('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, options.address ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  fake.host = `${options.address ?? '127.0.0.1'}:${port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/**
 * A fault for {@link FakeRegistry.fault}: the layer is served with one byte changed, so that
 * its size is right and its digest is not.
 */
export function tamperedLayer(fake: FakeRegistry): NonNullable<FakeRegistry['fault']> {
  return (request, response) => {
    if (!request.url?.includes(fake.layerDigest)) return false;
    const tampered = Uint8Array.from(fake.layer);
    tampered[7] = 9;
    response.writeHead(200).end(tampered);
    return true;
  };
}
