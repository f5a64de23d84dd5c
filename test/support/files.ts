import { chmodSync, closeSync, cpSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MODULE_HEADER, custom, leb, nameSubsection, producersData } from './wasm.js';

/**
 * Writes a core module with one non-custom section (`id`) of `size` bytes, left as a sparse
 * hole on disk, followed by `tail` (and preceded by `lead`): a large file that costs no time to write.
 */
export function writeLargeModule(
  path: string,
  id: number,
  size: number,
  tail: readonly number[] = [],
  lead: readonly number[] = [],
): void {
  const head = Uint8Array.from([...MODULE_HEADER, ...lead, id, ...leb(size)]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, head.length + size);
    if (tail.length > 0) writeSync(fd, Uint8Array.from(tail), 0, tail.length, head.length + size);
  } finally {
    closeSync(fd);
  }
}

/**
 * The large generated inputs of the test suite: core modules with one non-custom section of
 * `size` bytes, then `tail` (see {@link writeLargeModule}). vitest's global setup
 * (test/support/global-setup.ts) writes them once per run into one temporary directory, and
 * every test file that needs one reads that copy through `largeInput()`
 * (test/support/large-inputs.ts). They are read-only: a test that changes one copies it first.
 */
export const LARGE_INPUTS = {
  /** A 40 MiB data section: streamed through `add` on stdin and stdout. */
  'data-40mib': { id: 11, size: 40 * 1024 * 1024, tail: [] },
  /** A 64 MiB data section: edited in place by a process killed at random moments. */
  'data-64mib': { id: 11, size: 64 * 1024 * 1024, tail: [] },
  /** A 96 MiB data section (100.7 MB in all): pushed and pulled, with progress, and cut off. */
  'data-96mib': { id: 11, size: 96 * 1024 * 1024, tail: [] },
  /** A 50 MiB code section, then producers (language Go go1.26.5) and name (big) sections. */
  'code-50mib-named': {
    id: 10,
    size: 50 * 1024 * 1024,
    tail: [
      ...custom('producers', producersData([['language', [['Go', 'go1.26.5']]]])),
      ...custom('name', nameSubsection('big')),
    ],
  },
} as const satisfies Record<string, { id: number; size: number; tail: readonly number[] }>;

export type LargeInputName = keyof typeof LARGE_INPUTS;

/** Writes every large input, read-only, into `dir` (the global setup does, once per run). */
export function writeLargeInputs(dir: string): void {
  for (const [name, { id, size, tail }] of Object.entries(LARGE_INPUTS)) {
    const path = join(dir, `${name}.wasm`);
    writeLargeModule(path, id, size, tail);
    chmodSync(path, 0o444);
  }
}

/**
 * Copies a folder of the checkout, such as `examples/`, without what an install or a build put in
 * it (`node_modules`, `dist`): examples/js-component's installed tools alone are 340 MB.
 */
export function copySources(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (source) => !['node_modules', 'dist'].includes(basename(source)) });
}
