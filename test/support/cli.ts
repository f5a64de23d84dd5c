import { type SpawnSyncOptions, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HANG_MS } from './hang.js';
import { REPO_ROOT } from './shared.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

const BIN = join(REPO_ROOT, 'bin', 'wasm-meta.js');

/**
 * Runs the real `wasm-meta` command (bin/wasm-meta.js over the compiled dist/) in a child
 * process. `npm test` builds dist/ first. A run that has not ended after {@link HANG_MS} is
 * killed and fails the test as hung (a bound on a hang: vitest cannot time out a test that
 * waits on a synchronous child).
 */
export function runCli(
  args: readonly string[],
  options: SpawnSyncOptions & {
    /** Another copy of bin/wasm-meta.js (with its dist/ beside it), such as a damaged installation. */
    bin?: string;
  } = {},
): CliResult {
  if (!existsSync(join(REPO_ROOT, 'dist', 'bundle', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
  }
  const { bin = BIN, ...spawnOptions } = options;
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: REPO_ROOT,
    maxBuffer: 256 * 1024 * 1024,
    timeout: HANG_MS,
    ...spawnOptions,
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
    throw new Error(`wasm-meta ${args.join(' ')}: no exit after ${HANG_MS / 1000} s`);
  }
  const stdoutBytes = result.stdout as Buffer;
  return { status: result.status, stdout: stdoutBytes.toString('utf8'), stderr: String(result.stderr), stdoutBytes };
}

/**
 * Runs the CLI without blocking the test's event loop: needed when the test itself serves
 * HTTP (a token server, a fault-injecting server) that the CLI talks to. Killed if it has not
 * ended after {@link HANG_MS}.
 */
export function runCliAsync(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'bundle', 'main.js'))) {
      reject(new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests'));
      return;
    }
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      timeout: HANG_MS,
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => out.push(data));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ status, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes });
    });
    child.stdin.end(options.input ?? '');
  });
}
