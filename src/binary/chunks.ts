/**
 * Output as a list of chunks. An edit copies nothing: untouched byte ranges are views into
 * the input, and only new sections are fresh bytes. Chunks are joined (or streamed to a file)
 * only when the output is written.
 */
export class ChunkList {
  /** The chunks, in order. */
  readonly chunks: Uint8Array[] = [];
  /** Total bytes in all chunks. */
  length = 0;
  private lastInputEnd = -1;

  constructor(private readonly input: Uint8Array) {}

  /** Appends the input bytes `start..end`, extending the previous chunk if it ends at `start`. */
  copy(start: number, end: number): void {
    if (end <= start) return;
    if (start === this.lastInputEnd) {
      const previous = this.chunks[this.chunks.length - 1] as Uint8Array;
      this.chunks[this.chunks.length - 1] = this.input.subarray(start - previous.length, end);
    } else {
      this.chunks.push(this.input.subarray(start, end));
    }
    this.length += end - start;
    this.lastInputEnd = end;
  }

  /** Appends new bytes (or views that must not be merged with input copies). */
  push(...parts: readonly Uint8Array[]): void {
    for (const part of parts) {
      if (part.length === 0) continue;
      this.chunks.push(part);
      this.length += part.length;
    }
    this.lastInputEnd = -1;
  }
}

/** Joins chunks into one `Uint8Array`. */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
