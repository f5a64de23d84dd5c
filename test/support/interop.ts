import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** Runs `wasm-validate --enable-all` on a file; returns its exit status and messages. */
export function wasmValidate(path: string): { ok: boolean; output: string } {
  const result = spawnSync('wasm-validate', ['--enable-all', path], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}
