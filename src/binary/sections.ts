import { WasmMetaError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import type { BinaryKind } from './header.js';
import { decodeUtf8Range } from './utf8.js';

/**
 * Section framing: `id:u8`, `size:leb(u32)`, body. The parsers here work on bytes at a known
 * file offset; `walk.ts` runs them over every section of a file.
 */

/** The framing of one section, in file offsets. */
export interface SectionHeader {
  id: number;
  /** Offset of the id byte. */
  start: number;
  /** Offset of the first body byte (after the size LEB, which may be padded). */
  bodyStart: number;
  /** Offset just past the body. */
  end: number;
}

/** A section with, for a custom section, its name and where its data starts. */
export interface Section extends SectionHeader {
  /** The custom-section name; `undefined` for other sections. */
  name: string | undefined;
  /** Offset of the data after a custom section's name; `bodyStart` for other sections. */
  dataStart: number;
}

/** Bytes a section header can take: the id and a LEB128 of at most 5 bytes. */
export const MAX_SECTION_HEADER_LENGTH = 6;

/** Bytes the length of a custom-section name can take. */
export const MAX_NAME_LENGTH_LENGTH = 5;

/**
 * Parses the section header at file offset `start` from `head` (the bytes from `start`; six
 * are enough) and checks that the section ends by `parentEnd`, the end of the enclosing binary.
 * With `at`, the header starts at `head[at]` instead (the whole file in memory, without a view).
 */
export function parseSectionHeader(
  head: Uint8Array,
  start: number,
  parentEnd: number,
  parentKind: BinaryKind,
  at = 0,
): SectionHeader {
  const limit = Math.min(head.length, at + parentEnd - start);
  let id: number;
  let size: number;
  let bodyStart: number;
  // Most sizes take one or two LEB128 bytes: read those without a reader (this runs for every
  // section of every binary); anything else, errors included, takes the reader's path.
  const b0 = at + 1 < limit ? (head[at + 1] as number) : 0x80;
  const b1 = at + 2 < limit ? (head[at + 2] as number) : 0x80;
  if (b0 < 0x80) {
    id = head[at] as number;
    size = b0;
    bodyStart = start + 2;
  } else if (b1 < 0x80) {
    id = head[at] as number;
    size = (b0 & 0x7f) + b1 * 0x80;
    bodyStart = start + 3;
  } else {
    const reader = new ByteReader(head, start - at, at, limit);
    id = reader.u8();
    size = reader.varU32();
    bodyStart = reader.offset;
  }
  if (size > parentEnd - bodyStart) {
    throw new WasmMetaError(
      'section-overflow',
      `section ${id} of ${size} bytes runs past the end of its ${parentKind} (${parentEnd - bodyStart} bytes left)`,
      start,
    );
  }
  return { id, start, bodyStart, end: bodyStart + size };
}

/**
 * Parses the name length at the start of a custom section's body from `head` (the body's
 * first bytes; five are enough, starting at `head[at]`) and returns where the name starts and ends.
 */
export function parseCustomNameSpan(
  head: Uint8Array,
  header: SectionHeader,
  at = 0,
): { nameStart: number; nameEnd: number } {
  const limit = Math.min(head.length, at + header.end - header.bodyStart);
  let length: number;
  let nameStart: number;
  if (at < limit && (head[at] as number) < 0x80) {
    // A name shorter than 128 bytes: every name in practice.
    length = head[at] as number;
    nameStart = header.bodyStart + 1;
  } else {
    const reader = new ByteReader(head, header.bodyStart - at, at, limit);
    length = reader.varU32();
    nameStart = reader.offset;
  }
  if (length > LIMITS.maxNameBytes) {
    throw new WasmMetaError(
      'too-long',
      `custom section name of ${length} bytes is longer than the limit of ${LIMITS.maxNameBytes}`,
      header.bodyStart,
    );
  }
  if (length > header.end - nameStart) {
    throw new WasmMetaError(
      'section-overflow',
      'custom section name runs past the end of the section',
      header.bodyStart,
    );
  }
  return { nameStart, nameEnd: nameStart + length };
}

/** Decodes a custom-section name (all of `bytes`, or `bytes[start..end]`), which must be valid UTF-8. */
export function decodeCustomName(bytes: Uint8Array, header: SectionHeader, start = 0, end = bytes.length): string {
  const name = internedAscii(bytes, start, end) ?? decodeUtf8Range(bytes, start, end);
  if (name === undefined)
    throw new WasmMetaError('bad-utf8', 'custom section name is not valid UTF-8', header.bodyStart);
  return name;
}

/**
 * Short ASCII names seen before, by hash. A file repeats a handful of names (`producers`,
 * `name`, `.debug_info`, …) up to thousands of times, once per nested module: each is made
 * into a string once. Bounded, so that a file of distinct names cannot grow it.
 */
const interned = new Map<number, string>();
const MAX_INTERNED = 1024;
const MAX_INTERNED_LENGTH = 64;

/** `bytes[start..end]` as a string if they are short ASCII, from the cache when it has them. */
function internedAscii(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > MAX_INTERNED_LENGTH) return undefined;
  let hash = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) return undefined;
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  const cached = interned.get(hash);
  if (cached !== undefined && cached.length === end - start) {
    let same = true;
    for (let i = 0; same && i < cached.length; i++) same = cached.charCodeAt(i) === bytes[start + i];
    if (same) return cached;
  }
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  if (interned.size < MAX_INTERNED) interned.set(hash, text);
  return text;
}

/** The id of a custom section. */
export const CUSTOM_SECTION_ID = 0;

/** Writes a custom section: its id, its size, its name, then what `writeData` writes. */
export function writeCustomSection(out: ByteWriter, name: string, writeData: (out: ByteWriter) => void): void {
  out.u8(CUSTOM_SECTION_ID).fork().string(name);
  writeData(out);
  out.join();
}
