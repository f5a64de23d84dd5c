import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { MODULE_HEADER, leb } from './wasm.js';

/**
 * Writes a core module with one non-custom section (`id`) of `size` bytes, left as a sparse
 * hole on disk, followed by `tail`: a large file that costs no time to write.
 */
export function writeLargeModule(path: string, id: number, size: number, tail: readonly number[] = []): void {
  const head = Uint8Array.from([...MODULE_HEADER, id, ...leb(size)]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, head.length + size);
    if (tail.length > 0) writeSync(fd, Uint8Array.from(tail), 0, tail.length, head.length + size);
  } finally {
    closeSync(fd);
  }
}
