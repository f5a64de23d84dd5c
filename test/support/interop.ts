import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HANG_MS } from './hang.js';
import { REPO_ROOT } from './shared.js';

/** The part of jco-transpile's wasm-tools API that the interop tests use. */
export interface JcoWasmTools {
  metadataShow(bytes: Uint8Array): Promise<JcoMetadata[]>;
  metadataAdd(bytes: Uint8Array, producers: Array<[string, Array<[string, string]>]>): Promise<Uint8Array>;
  parse(wat: string): Promise<Uint8Array>;
}

/** One entry of jco's metadataShow: a flat list where children point at their parent. */
export interface JcoMetadata {
  name?: string;
  parentIndex?: number;
  metaType: { tag: 'module' | 'component'; val?: number };
  range: [number, number];
  producers: Array<[string, Array<[string, string]>]>;
}

const JCO_ENTRY = join(
  REPO_ROOT,
  'interop',
  'node_modules',
  '@bytecodealliance',
  'jco-transpile',
  'dist',
  'wasm-tools.js',
);

/** jco-transpile's wasm-tools, or `undefined` (with a printed reason) if `interop/` is not installed. */
export async function loadJco(): Promise<JcoWasmTools | undefined> {
  if (!existsSync(JCO_ENTRY)) {
    console.warn(
      'skipping the jco interop tests: run `npm ci --prefix interop` (.ci/run does) to install jco-transpile',
    );
    return undefined;
  }
  return (await import(pathToFileURL(JCO_ENTRY).href)) as JcoWasmTools;
}

/** Whether wabt's `wasm-validate` is on the PATH; prints why not. */
export function hasWasmValidate(): boolean {
  const found = spawnSync('wasm-validate', ['--version']).status === 0;
  if (!found) console.warn("skipping the wasm-validate tests: install Debian's wabt package (.ci/run does)");
  return found;
}

/**
 * Runs `wasm-validate --enable-all` on a file without blocking the event loop (so that vitest
 * can time out a hung run); returns its exit status and messages. Killed after {@link HANG_MS}.
 */
export function wasmValidate(path: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('wasm-validate', ['--enable-all', path], { timeout: HANG_MS });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      if (signal !== null)
        reject(new Error(`wasm-validate ${path}: ended by ${signal} (no exit after ${HANG_MS / 1000} s?)`));
      else resolve({ ok: status === 0, output });
    });
  });
}
