import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectReference, pullToFile } from '../../src/node/oci.js';
import type { RegistryOptions } from '../../src/node/oci-target.js';
import { type FakeRegistry, sha256, startFakeRegistry, tamperedLayer } from '../support/fake-registry.js';
import { freePort } from '../support/registry.js';
import { failure } from '../support/errors.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-faults-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Fast retries, and no credentials from the user's own configuration. */
const OPTIONS: RegistryOptions = {
  retry: { attempts: 4, backoffMs: 10, maxDelayMs: 2000 },
  env: { DOCKER_CONFIG: join(scratch, 'no-docker'), XDG_CONFIG_HOME: join(scratch, 'no-config') },
  wkgConfig: {
    defaultRegistry: undefined,
    namespaceRegistries: new Map(),
    packageRegistryOverrides: new Map(),
    oci: new Map(),
  },
};

async function withFake<T>(
  setup: Parameters<typeof startFakeRegistry>[0],
  run: (fake: FakeRegistry) => Promise<T>,
): Promise<T> {
  const fake = await startFakeRegistry(setup);
  try {
    return await run(fake);
  } finally {
    await fake.close();
  }
}

describe('faults a real registry does not produce on demand', () => {
  it('retries a 429 after the Retry-After it asks for, then succeeds', async () => {
    await withFake({}, async (fake) => {
      const warnings: string[] = [];
      fake.fault = (_request, response, count) => {
        if (count > 2) return false;
        response
          .writeHead(429, { 'retry-after': '1' })
          .end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}');
        return true;
      };
      const result = await inspectReference(`${fake.host}/acme/hello:1.0.0`, {
        ...OPTIONS,
        onWarning: (w) => warnings.push(w),
      });
      expect(result.layer.digest).toBe(fake.layerDigest);
      expect(warnings.filter((w) => /HTTP 429 .* retrying in 1\.0 s/.test(w))).toHaveLength(2);
    });
  });

  it('gives up after a bounded number of 503s, naming the code and message', async () => {
    await withFake({}, async (fake) => {
      fake.fault = (_request, response) => {
        response
          .writeHead(503, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"UNAVAILABLE","message":"maintenance"}]}');
        return true;
      };
      const error = await failure(inspectReference(`${fake.host}/acme/hello:1.0.0`, OPTIONS));
      expect(error.code).toBe('registry');
      expect(error.message).toMatch(
        /UNAVAILABLE: maintenance \(HTTP 503 on GET \/v2\/acme\/hello\/manifests\/1\.0\.0\)/,
      );
      expect(fake.requests).toHaveLength(4);
    });
  });

  it('retries a connection reset', async () => {
    await withFake({}, async (fake) => {
      fake.fault = (request, _response, count) => {
        if (count !== 1) return false;
        request.socket.destroy();
        return true;
      };
      const result = await inspectReference(`${fake.host}/acme/hello:1.0.0`, OPTIONS);
      expect(result.digest).toMatch(/^sha256:/);
      // The reset image manifest request was sent again, then the config fetched, then the
      // referrers counted: the API (404 here), then the referrers tag (404: none).
      expect(fake.requests.map((r) => r.path)).toEqual([
        '/v2/acme/hello/manifests/1.0.0',
        '/v2/acme/hello/manifests/1.0.0',
        expect.stringMatching(/^\/v2\/acme\/hello\/blobs\/sha256:/),
        `/v2/acme/hello/referrers/${result.digest}`,
        `/v2/acme/hello/manifests/sha256-${result.digest.slice('sha256:'.length)}`,
      ]);
      expect(result.referrers).toBe(0);
    });
  });

  it('refuses a layer whose bytes do not match its digest, writing nothing', async () => {
    await withFake({}, async (fake) => {
      fake.fault = tamperedLayer(fake);
      const dir = mkdtempSync(join(scratch, 'mismatch-'));
      const error = await failure(
        pullToFile(`${fake.host}/acme/hello:1.0.0`, { ...OPTIONS, output: join(dir, 'out.wasm') }),
      );
      expect(error.code).toBe('digest-mismatch');
      expect(error.message).toContain(`the blob ${fake.layerDigest} hashes to sha256:`);
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it('cuts off a layer longer than its descriptor says', async () => {
    await withFake({}, async (fake) => {
      fake.fault = (request, response) => {
        if (!request.url?.includes(fake.layerDigest)) return false;
        response.writeHead(200);
        // An endless body: the pull must stop on its own.
        const timer = setInterval(() => response.write(Buffer.alloc(64 * 1024)), 1);
        response.on('close', () => clearInterval(timer));
        return true;
      };
      const dir = mkdtempSync(join(scratch, 'endless-'));
      const error = await failure(
        pullToFile(`${fake.host}/acme/hello:1.0.0`, { ...OPTIONS, output: join(dir, 'out.wasm') }),
      );
      expect(error.message).toMatch(/longer than the 8 bytes its descriptor says/);
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it('cuts off an endless image manifest at the 4 MiB limit', async () => {
    await withFake({}, async (fake) => {
      fake.fault = (request, response) => {
        if (!request.url?.includes('/manifests/')) return false;
        response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
        const timer = setInterval(() => response.write(Buffer.alloc(256 * 1024, 0x20)), 1);
        response.on('close', () => clearInterval(timer));
        return true;
      };
      const error = await failure(inspectReference(`${fake.host}/acme/hello:1.0.0`, OPTIONS));
      expect(error.message).toMatch(/the image manifest is larger than the limit of 4194304 bytes/);
    });
  });

  it('refuses an image manifest declared larger than the limit without reading it', async () => {
    await withFake({}, async (fake) => {
      let written = 0;
      fake.fault = (request, response) => {
        if (!request.url?.includes('/manifests/')) return false;
        response.writeHead(200, {
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
          'content-length': String(100 * 1024 * 1024),
        });
        const timer = setInterval(() => {
          response.write(Buffer.alloc(64 * 1024, 0x20));
          written += 64 * 1024;
        }, 5);
        response.on('close', () => clearInterval(timer));
        return true;
      };
      const error = await failure(inspectReference(`${fake.host}/acme/hello:1.0.0`, OPTIONS));
      expect(error.message).toMatch(/the image manifest of 104857600 bytes is larger than the limit of 4194304/);
      expect(written).toBeLessThan(4 * 1024 * 1024);
    });
  });

  it('leaves an existing output file untouched when a pull fails', async () => {
    await withFake({}, async (fake) => {
      fake.fault = (request, response) => {
        if (!request.url?.includes(fake.layerDigest)) return false;
        response.writeHead(200).end(Buffer.from('not the layer'));
        return true;
      };
      const dir = mkdtempSync(join(scratch, 'keep-'));
      const output = join(dir, 'out.wasm');
      writeFileSync(output, 'the bytes from before');
      await failure(pullToFile(`${fake.host}/acme/hello:1.0.0`, { ...OPTIONS, output }));
      expect(readFileSync(output, 'utf8')).toBe('the bytes from before');
      expect(readdirSync(dir)).toEqual(['out.wasm']);
    });
  });

  it('refuses an image manifest whose bytes are not the digest it was pulled by', async () => {
    await withFake({}, async (fake) => {
      const wrong = sha256('something else');
      const error = await failure(inspectReference(`${fake.host}/acme/hello@${wrong}`, OPTIONS));
      expect(error.code).toBe('not-found');
      expect(error.message).toBe(`${fake.host}: the repository acme/hello was not found (NAME_UNKNOWN)`);
      fake.fault = (request, response) => {
        if (!request.url?.includes('/manifests/')) return false;
        response
          .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' })
          .end('{"schemaVersion":2}');
        return true;
      };
      const mismatch = await failure(inspectReference(`${fake.host}/acme/hello@${wrong}`, OPTIONS));
      expect(mismatch.code).toBe('digest-mismatch');
    });
  });

  it('follows a redirect to another host for a blob without sending it the credentials', async () => {
    await withFake({}, async (storage) => {
      await withFake({ challenge: 'Basic realm="test"' }, async (fake) => {
        fake.fault = (request, response) => {
          if (!request.url?.includes(fake.layerDigest) || request.headers.authorization === undefined) return false;
          response.writeHead(307, { location: `http://${storage.host}/v2/acme/hello/blobs/${fake.layerDigest}` }).end();
          return true;
        };
        const out = join(mkdtempSync(join(scratch, 'redirect-')), 'out.wasm');
        await pullToFile(`${fake.host}/acme/hello:1.0.0`, {
          ...OPTIONS,
          output: out,
          username: 'alice',
          password: 'secret',
        });
        expect(readFileSync(out)).toEqual(Buffer.from(fake.layer));
        expect(fake.requests.some((r) => r.authorization?.startsWith('Basic '))).toBe(true);
        expect(storage.requests.map((r) => [r.path, r.authorization])).toEqual([
          [`/v2/acme/hello/blobs/${fake.layerDigest}`, undefined],
        ]);
      });
    });
  });

  it('never sends credentials over plain HTTP to a host that is not loopback', async () => {
    // 127.0.0.2 reaches this machine but is not one of the loopback names wasm-meta trusts.
    await withFake({ address: '127.0.0.2', challenge: 'Basic realm="test"' }, async (fake) => {
      const error = await failure(
        inspectReference(`${fake.host}/acme/hello:1.0.0`, {
          ...OPTIONS,
          insecure: [fake.host],
          username: 'alice',
          password: 'secret',
        }),
      );
      expect(error.code).toBe('insecure');
      expect(error.message).toBe(`${fake.host}: refusing to send credentials over plain HTTP to ${fake.host}`);
      expect(fake.requests.every((r) => r.authorization === undefined)).toBe(true);
      // Without --insecure the host is reached over HTTPS, which this fake does not speak: said in words.
      const https = await failure(
        inspectReference(`${fake.host}/acme/hello:1.0.0`, { ...OPTIONS, retry: { attempts: 1 } }),
      );
      expect(https.code).toBe('network');
      expect(https.message).toBe(
        `${fake.host}: GET /v2/acme/hello/manifests/1.0.0 failed: ${fake.host} speaks plain HTTP, not HTTPS; use --insecure ${fake.host} if you trust the network`,
      );
    });
  });

  it('never puts passwords or tokens into errors', async () => {
    await withFake({ challenge: 'Bearer realm="http://127.0.0.1:1/token",service="x"' }, async (fake) => {
      const error = await failure(
        inspectReference(`${fake.host}/acme/hello:1.0.0`, {
          ...OPTIONS,
          username: 'alice',
          password: 'hunter2-secret',
        }),
      );
      expect(error.message).toMatch(/cannot reach the token service at 127\.0\.0\.1:1/);
      expect(error.message).not.toContain('hunter2-secret');
      expect(JSON.stringify(error)).not.toContain('hunter2-secret');
    });
  });

  it('reports a registry that is not there', async () => {
    const port = await freePort();
    const error = await failure(inspectReference(`127.0.0.1:${port}/acme/hello:1.0.0`, OPTIONS));
    expect(error.code).toBe('network');
    expect(error.message).toBe(`127.0.0.1:${port}: GET /v2/acme/hello/manifests/1.0.0 failed: connection refused`);
    expect(existsSync(join(scratch, 'hello.wasm'))).toBe(false);
  });
});
