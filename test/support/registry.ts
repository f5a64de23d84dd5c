import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANG_MS } from './hang.js';

/** A real OCI registry (distribution 2.8, Debian's docker-registry) started for a test. */
export interface TestRegistry {
  /** `127.0.0.1:<port>`. */
  host: string;
  url: string;
  dir: string;
  process: ChildProcess;
  /** Access-log lines, when the registry was started with `accessLog`. */
  log: string[];
  stop(): Promise<void>;
}

/** Extra configuration: htpasswd or token authentication. */
export type RegistryAuth =
  { htpasswd: string } | { token: { realm: string; service: string; issuer: string; certificate: string } };

/**
 * Whether docker-registry is installed. Without it the registry tests skip and say why,
 * unless WASM_META_REQUIRE_REGISTRY is set (CI sets it), which makes that a failure.
 */
export function registryAvailable(): boolean {
  const found = spawnSync('docker-registry', ['--version']).status === 0;
  if (!found) {
    if (process.env['WASM_META_REQUIRE_REGISTRY'])
      throw new Error('docker-registry is required (WASM_META_REQUIRE_REGISTRY is set) but not installed');
    console.warn('skipping the registry tests: docker-registry (Debian package docker-registry) is not installed');
  }
  return found;
}

/** Whether skopeo is installed (the independent checker of what was pushed). */
export function skopeoAvailable(): boolean {
  const found = spawnSync('skopeo', ['--version']).status === 0;
  if (!found) {
    if (process.env['WASM_META_REQUIRE_REGISTRY'])
      throw new Error('skopeo is required (WASM_META_REQUIRE_REGISTRY is set) but not installed');
    console.warn('skipping the skopeo checks: skopeo is not installed');
  }
  return found;
}

/** A free TCP port on 127.0.0.1 (listen on port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts docker-registry on 127.0.0.1 on a free port with storage in a fresh temporary
 * directory, and waits until `/v2/` answers. Stop it with `stop()` (SIGTERM to its PID).
 */
export async function startRegistry(auth?: RegistryAuth, options: { accessLog?: boolean } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-meta-registry-'));
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const lines = [
      'version: 0.1',
      `log: { level: error, formatter: text, accesslog: { disabled: ${options.accessLog ? 'false' : 'true'} } }`,
      'storage:',
      `  filesystem: { rootdirectory: ${join(dir, 'data')} }`,
      '  delete: { enabled: true }',
      'http:',
      `  addr: 127.0.0.1:${port}`,
    ];
    if (auth !== undefined && 'htpasswd' in auth) {
      writeFileSync(join(dir, 'htpasswd'), auth.htpasswd);
      lines.push(`auth: { htpasswd: { realm: wasm-meta-test, path: ${join(dir, 'htpasswd')} } }`);
    } else if (auth !== undefined) {
      writeFileSync(join(dir, 'token.crt'), auth.token.certificate);
      lines.push(
        `auth: { token: { realm: "${auth.token.realm}", service: ${auth.token.service}, issuer: ${auth.token.issuer}, rootcertbundle: ${join(dir, 'token.crt')} } }`,
      );
    }
    writeFileSync(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
    const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const log: string[] = [];
    child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    // The access log, a line at a time (a line may come in more than one chunk).
    let partial = '';
    child.stdout?.on('data', (data: Buffer) => {
      const lines = (partial + data.toString()).split('\n');
      partial = lines.pop() as string;
      log.push(...lines.filter((line) => line !== ''));
    });
    const closed = new Promise((resolve) => child.once('close', resolve));
    const host = `127.0.0.1:${port}`;
    const answered = await ready(`http://${host}/v2/`, child).catch((error: unknown) => error as Error);
    if (answered === true) {
      return {
        host,
        url: `http://${host}`,
        dir,
        process: child,
        log,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    // Not started: read all it said before deciding whether another port may help.
    child.kill('SIGKILL');
    await closed;
    if (answered instanceof Error) throw new Error(`${answered.message}: ${stderr}`);
    if (!/address already in use/.test(stderr)) throw new Error(`docker-registry did not start: ${stderr}`);
  }
  throw new Error('docker-registry: no free port after 5 attempts');
}

/**
 * Polls `GET /v2/` every 100 ms until it answers 200 or 401 (ready), or the registry exits
 * (not ready: the caller reads why from its stderr). The only bound is one on a hang
 * ({@link HANG_MS}): a registry on a busy machine may take its time to start.
 */
async function ready(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = performance.now() + HANG_MS;
  while (child.exitCode === null && child.signalCode === null) {
    const left = deadline - performance.now();
    if (left <= 0) throw new Error(`docker-registry did not answer ${url} in ${HANG_MS / 1000} s`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.ceil(left)) });
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) return true;
    } catch (error) {
      // Not listening yet (fetch failed), or no answer before the deadline (checked above).
      if (!(error instanceof TypeError) && (error as Error).name !== 'TimeoutError') throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
