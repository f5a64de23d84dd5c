import { ByteWriter } from './byte-writer.js';
import { encodeVarU32, varU32Length } from './leb128.js';
import { encodeUtf8 } from './utf8.js';

/** Encoders for the framing that wasm-meta writes: always minimal LEB128 sizes. */

/** A `str`: LEB128 length and UTF-8 bytes. */
export function encodeString(text: string): Uint8Array {
  const bytes = encodeUtf8(text);
  return new ByteWriter(varU32Length(bytes.length) + bytes.length).varU32(bytes.length).bytes(bytes).finish();
}

/** Total length of some chunks. */
export function chunksLength(chunks: readonly Uint8Array[]): number {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  return length;
}

/** A section header: the id and a minimal LEB128 of `size`. */
export function encodeSectionHeader(id: number, size: number): Uint8Array {
  const leb = encodeVarU32(size);
  const head = new Uint8Array(1 + leb.length);
  head[0] = id;
  head.set(leb, 1);
  return head;
}

/** A section as chunks: the id and size, then the body chunks (not copied). */
export function encodeSection(id: number, body: readonly Uint8Array[]): Uint8Array[] {
  return [encodeSectionHeader(id, chunksLength(body)), ...body];
}

/** A custom section as chunks: its name, then the data chunks. */
export function encodeCustomSection(name: string, data: readonly Uint8Array[]): Uint8Array[] {
  return encodeSection(0, [encodeString(name), ...data]);
}
