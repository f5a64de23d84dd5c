import { type SpawnSyncOptions, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
 * process. `npm test` builds dist/ first.
 */
export function runCli(args: readonly string[], options: SpawnSyncOptions = {}): CliResult {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
  }
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  const stdoutBytes = result.stdout as Buffer;
  return { status: result.status, stdout: stdoutBytes.toString('utf8'), stderr: String(result.stderr), stdoutBytes };
}

/**
 * Runs the CLI without blocking the test's event loop: needed when the test itself serves
 * HTTP (a token server, a fault-injecting server) that the CLI talks to.
 */
export function runCliAsync(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) {
      reject(new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests'));
      return;
    }
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
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
