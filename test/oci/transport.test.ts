import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { type Server, createServer as createHttpServer } from 'node:http';
import { type Socket, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { nodeHttpTransport } from '../../src/node/http-transport.js';
import { pullToFile, pushFile } from '../../src/node/oci.js';
import type { RegistryOptions } from '../../src/node/oci-target.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { Repository } from '../../src/oci/repository.js';
import { resolveOciTarget } from '../../src/oci/target.js';
import { emptyWkgConfig } from '../../src/oci/wkg-config.js';
import { nodeSha256 } from '../../src/node/sha256.js';
import { runCli, runCliAsync } from '../support/cli.js';
import { failure } from '../support/errors.js';
import { type FakeRegistry, sha256, startFakeRegistry } from '../support/fake-registry.js';
import { HANG_MS, waitFor } from '../support/hang.js';
import { type TestRegistry, registryAvailable, startRegistry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';
import { COMPONENT_HEADER, component, custom, leb } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-transport-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** No credentials or wkg config from the user's own configuration. */
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DOCKER_CONFIG: join(scratch, 'no-docker'),
  XDG_CONFIG_HOME: join(scratch, 'no-config'),
};
const OPTIONS: RegistryOptions = {
  env,
  retry: { attempts: 4, backoffMs: 10, maxDelayMs: 2000 },
  wkgConfig: {
    defaultRegistry: undefined,
    namespaceRegistries: new Map(),
    packageRegistryOverrides: new Map(),
    oci: new Map(),
  },
};

/** A small component with a name, written to the scratch directory. */
function smallComponent(name: string): string {
  const path = join(scratch, `${name}.wasm`);
  writeFileSync(path, Uint8Array.from(component(custom('test-payload', name))));
  return path;
}

/**
 * Peak resident memory (bytes) of a Node.js process running `script` with `args`: as an ES
 * module when `module`, else as `node -e` runs it. The child runs asynchronously, so that a long
 * push does not block the test worker; it is killed after {@link HANG_MS}.
 */
async function peakRss(script: string, args: string[] = [], module = true): Promise<number> {
  const measured = `${script}
    process.on('exit', () => process.stderr.write('RSS ' + process.resourceUsage().maxRSS * 1024));`;
  const flags = module ? ['--input-type=module', '-e'] : ['-e'];
  const child = spawn(process.execPath, [...flags, measured, '--', ...args], { env, timeout: HANG_MS });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  child.stdout.resume();
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  expect(status, stderr).toBe(0);
  return Number(/RSS (\d+)/.exec(stderr)?.[1]);
}

describe.runIf(registryAvailable())('the transport against a real registry (distribution 2.8)', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry(undefined, { accessLog: true });
  });
  afterAll(async () => registry?.stop());

  it('pushes a 200 MB component within 100 MiB of the memory of `node -e 0`', async () => {
    // A component whose one custom section (with an empty name) is a 200 MiB sparse hole.
    const path = join(scratch, 'large.wasm');
    const fileSize = writeLargeComponent(path, 200 * 1024 * 1024);

    const baseline = await peakRss('0', [], false);
    const main = JSON.stringify(join(REPO_ROOT, 'dist', 'bundle', 'main.js'));
    const pushing = await peakRss(
      `const { main } = await import(${main}); process.exitCode = await main(process.argv.slice(1));`,
      ['push', path, `${registry.host}/acme/large:1.0.0`],
    );
    expect(pushing - baseline).toBeLessThanOrEqual(100 * 1024 * 1024);

    // The whole layer arrived: the registry has a blob of the file's size.
    const digest = sha256(readFileSync(path));
    const head = await fetch(`${registry.url}/v2/acme/large/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(fileSize);
  });

  it('mounts a layer from another repository instead of uploading it (--mount-from)', async () => {
    const path = smallComponent('mounted');
    const digest = sha256(readFileSync(path));
    expect(runCli(['push', path, `${registry.host}/acme/first:1.0.0`], { env }).status).toBe(0);
    registry.log.length = 0;
    const pushed = runCli(
      ['push', path, `${registry.host}/acme/second:1.0.0`, '--mount-from', 'acme/first', '--json'],
      {
        env,
      },
    );
    expect(pushed.status, pushed.stderr).toBe(0);
    expect((JSON.parse(pushed.stdout) as { mounted: string[] }).mounted).toContain(digest);
    // The access log arrives through a pipe: wait for the push's last request, the image manifest.
    await waitFor(() => registry.log.some((line) => line.includes('"PUT /v2/acme/second/manifests/1.0.0')), 'the log');
    const mount = `"POST /v2/acme/second/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=acme%2Ffirst HTTP/1.1" 201`;
    expect(registry.log.some((line) => line.includes(mount))).toBe(true);
    expect(registry.log.filter((line) => /"(PUT|PATCH) \/v2\/acme\/second\/blobs\//.test(line))).toEqual([]);

    // The mounted blob is really there: a pull from the second repository gives the same bytes.
    const output = join(scratch, 'mounted-pulled.wasm');
    expect(runCli(['pull', `${registry.host}/acme/second:1.0.0`, '-o', output], { env }).status).toBe(0);
    expect(readFileSync(output)).toEqual(readFileSync(path));
  });

  it('uploads when the repository to mount from lacks the blob (the registry answers 202)', async () => {
    const path = smallComponent('unmountable');
    registry.log.length = 0;
    const pushed = runCli(['push', path, `${registry.host}/acme/third:1.0.0`, '--mount-from', 'acme/empty', '--json'], {
      env,
    });
    expect(pushed.status, pushed.stderr).toBe(0);
    expect((JSON.parse(pushed.stdout) as { mounted: string[] }).mounted).toEqual([]);
    await waitFor(() => registry.log.some((line) => line.includes('"PUT /v2/acme/third/manifests/1.0.0')), 'the log');
    expect(registry.log.some((line) => /"POST \/v2\/acme\/third\/blobs\/uploads\/\?mount=.* 202/.test(line))).toBe(
      true,
    );
    expect(registry.log.some((line) => /"PUT \/v2\/acme\/third\/blobs\/uploads\/.* 201/.test(line))).toBe(true);
  });

  it('mounts by itself a layer this process pushed to another repository of the registry', async () => {
    const path = smallComponent('remembered');
    const first = await pushFile(path, `${registry.host}/acme/fourth:1.0.0`, { ...OPTIONS, progress: false });
    expect(first.mounted).toEqual([]);
    const second = await pushFile(path, `${registry.host}/acme/fifth:1.0.0`, { ...OPTIONS, progress: false });
    expect(second.mounted).toContain(sha256(readFileSync(path)));
  });

  it('refuses a --mount-from that is not a repository name, and a --timeout that is not a positive number', () => {
    const path = smallComponent('usage');
    const mount = runCli(['push', path, `${registry.host}/acme/x:1`, '--mount-from', 'Acme/UPPER'], { env });
    expect(mount.status).toBe(2);
    expect(mount.stderr).toMatch(/expected a repository of the same registry/);
    for (const timeout of ['0', '-1', 'soon']) {
      const result = runCli(['push', path, `${registry.host}/acme/x:1`, '--timeout', timeout], { env });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/expected a number of seconds greater than 0/);
    }
  });
});

/**
 * Writes a component with one custom section of `size` bytes, a sparse hole (so its name is
 * empty), and returns the file's size.
 */
function writeLargeComponent(path: string, size: number): number {
  const head = Uint8Array.from([...COMPONENT_HEADER, 0, ...leb(size)]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, head.length + size);
  } finally {
    closeSync(fd);
  }
  return head.length + size;
}

/** A TCP server on loopback that accepts every connection and never sends a byte. */
async function startSilentServer(): Promise<{ port: number; sockets: Socket[]; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return { port: (server.address() as { port: number }).port, sockets, close };
}

describe('timeouts: registries a real one cannot imitate on demand', () => {
  it('fails a push with a network error when the registry accepts the connection and never answers', async () => {
    const { port, sockets, close } = await startSilentServer();
    try {
      const path = smallComponent('hangs');
      const cli = await runCliAsync(['push', path, `127.0.0.1:${port}/acme/hangs:1.0.0`, '--timeout', '1'], { env });
      // The network exit code once src/cli/exit-codes.ts has one (issue 14), else that of any failure.
      expect(cli.status).toBe(EXIT.network);
      expect(cli.stderr).toBe(
        `wasm-meta: error: 127.0.0.1:${port}: HEAD /v2/acme/hangs/blobs/${sha256(readFileSync(path))}: nothing received for 1 s (--timeout 1)\n`,
      );
      // A timeout is not retried: one connection, one request.
      expect(sockets).toHaveLength(1);

      const error = await failure(pushFile(path, `127.0.0.1:${port}/acme/hangs:1.0.0`, { ...OPTIONS, timeout: 1 }));
      expect(error.code).toBe('network');
    } finally {
      await close();
    }
  });

  it("gives up the wkg registry lookup after --timeout, saying so, and uses the registry's own name", async () => {
    // The registry of a wkg package name is asked for /.well-known/wasm-pkg/registry.json first;
    // a silent one must not hold the command up past --timeout, nor be passed over in silence.
    const { port, sockets, close } = await startSilentServer();
    const host = `127.0.0.1:${port}`;
    try {
      const warnings: string[] = [];
      const target = await resolveOciTarget('acme:hello@1.0.0', {
        wkgConfig: { ...emptyWkgConfig(), defaultRegistry: host },
        connection: { timeoutMs: 1000 },
        onWarning: (message) => warnings.push(message),
      });
      expect(target.reference.registry).toBe(host);
      expect(target.reference.repository).toBe('acme/hello');
      expect(warnings).toEqual([
        `${host}: could not look up http://${host}/.well-known/wasm-pkg/registry.json (no answer within 1 s (--timeout 1)); using ${host} itself`,
      ]);
      expect(sockets).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('fails a pull with a network error when the layer stops arriving, writing nothing', async () => {
    const layer = new Uint8Array(64 * 1024);
    const fake: FakeRegistry = await startFakeRegistry({ layer });
    fake.fault = (request, response) => {
      if (!(request.url ?? '').includes(`/blobs/${fake.layerDigest}`)) return false;
      // The headers and half the layer, then nothing, with the connection left open.
      response.writeHead(200, { 'content-length': String(layer.length) });
      response.write(layer.subarray(0, layer.length / 2));
      return true;
    };
    const output = join(scratch, 'stalled.wasm');
    try {
      const error = await failure(
        pullToFile(`${fake.host}/acme/hello:1.0.0`, { ...OPTIONS, timeout: 1, output, progress: false }),
      );
      expect(error.code).toBe('network');
      expect(error.message).toBe(
        `${fake.host}: GET /v2/acme/hello/blobs/${fake.layerDigest}: nothing received for 1 s (--timeout 1)`,
      );
      expect(existsSync(output)).toBe(false);
    } finally {
      await fake.close();
    }
  });
});

describe('a server that answers outside HTTP: a real registry cannot imitate it', () => {
  it('reports a status no Response can carry as a clear error, not a crash', async () => {
    // A TCP server that answers every request with status 600, which fetch's Response refuses.
    const server = createTcpServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 600 Weird\r\ncontent-length: 0\r\n\r\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const cli = await runCliAsync(['inspect', `127.0.0.1:${port}/acme/weird:1.0.0`], { env });
      expect(cli.status).not.toBe(EXIT.internal);
      expect(cli.status).not.toBe(EXIT.ok);
      expect(cli.stderr).toMatch(/^wasm-meta: error: .*HTTP status 600.*\n$/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('retries of an upload', () => {
  it('starts the upload session again when its PUT fails with a 503', async () => {
    // A registry that fails the first PUT of an upload: a real one does not on demand.
    const requests: string[] = [];
    let sessions = 0;
    let puts = 0;
    const server: Server = createHttpServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      request.resume();
      request.on('end', () => {
        if (request.method === 'HEAD') response.writeHead(404).end();
        else if (request.method === 'POST')
          response.writeHead(202, { location: `/v2/acme/up/blobs/uploads/s${++sessions}` }).end();
        else if (request.method === 'PUT' && ++puts === 1) response.writeHead(503).end();
        else response.writeHead(201, { 'docker-content-digest': blob.digest }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const bytes = new TextEncoder().encode('a blob');
    const blob = { digest: sha256(bytes), size: bytes.length };
    try {
      const warnings: string[] = [];
      const client = new RegistryClient({
        registry: host,
        apiHost: host,
        plainHttp: true,
        backoffMs: 1,
        transport: nodeHttpTransport,
        onWarning: (warning) => warnings.push(warning),
      });
      const repository = new Repository(client, 'acme/up', { sha256: nodeSha256, push: true });
      expect(await repository.pushBlob(blob, () => new Uint8Array(bytes))).toBe('uploaded');
      const digest = encodeURIComponent(blob.digest);
      expect(requests).toEqual([
        `HEAD /v2/acme/up/blobs/${blob.digest}`,
        'POST /v2/acme/up/blobs/uploads/',
        `PUT /v2/acme/up/blobs/uploads/s1?digest=${digest}`,
        'POST /v2/acme/up/blobs/uploads/',
        `PUT /v2/acme/up/blobs/uploads/s2?digest=${digest}`,
      ]);
      expect(warnings).toEqual([
        `${host}: HTTP 503 on PUT /v2/acme/up/blobs/uploads/s1; the upload of ${blob.digest} starts again; retrying in 0.0 s`,
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
