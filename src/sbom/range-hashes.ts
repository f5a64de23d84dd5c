import { WasmMetaError } from '../errors.js';
import { type WasmBinary, binariesOf } from '../metadata.js';
import type { Sha256, Sha256Factory } from '../oci/digest.js';

/** The SHA-256 of each binary's byte range, as 64 lowercase hex digits; the root's is the file's. */
export type BinaryHashes = ReadonlyMap<WasmBinary, string>;

/**
 * Hashes the byte range of every binary in `tree` in one pass over the file's bytes.
 *
 * The bytes come in order as `chunks` (a file stream, or one `Uint8Array` for bytes in memory);
 * each chunk goes to the hashes of the ranges it overlaps, and nothing is kept. Throws `io`
 * when the bytes do not end where the tree says the file ends (it changed since it was read).
 */
export async function hashBinaryRanges(
  tree: WasmBinary,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  sha256: Sha256Factory,
): Promise<Map<WasmBinary, string>> {
  // Pre-order is start order, and a range ends before the next sibling starts.
  const pending = [...binariesOf(tree)];
  const open: Array<{ binary: WasmBinary; hash: Sha256 }> = [];
  const hashes = new Map<WasmBinary, string>();
  let next = 0;
  let position = 0;
  const close = (upTo: number): void => {
    for (let i = open.length - 1; i >= 0; i--) {
      const entry = open[i] as { binary: WasmBinary; hash: Sha256 };
      if (entry.binary.range.end > upTo) continue;
      hashes.set(entry.binary, entry.hash.digest().slice('sha256:'.length));
      open.splice(i, 1);
    }
  };
  for await (const chunk of chunks) {
    const end = position + chunk.length;
    for (;;) {
      const binary = pending[next];
      if (binary === undefined || binary.range.start >= end) break;
      open.push({ binary, hash: sha256() });
      next++;
    }
    for (const { binary, hash } of open) {
      const from = Math.max(binary.range.start, position) - position;
      const to = Math.min(binary.range.end, end) - position;
      if (to > from) hash.update(chunk.subarray(from, to));
    }
    position = end;
    close(position);
  }
  if (position !== tree.range.end || open.length > 0 || next < pending.length) {
    throw new WasmMetaError(
      'io',
      `the file has ${position} bytes where its metadata was read from ${tree.range.end}: it changed while it was being read`,
    );
  }
  return hashes;
}
