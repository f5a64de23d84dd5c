import { WasmMetaError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { ByteReader } from './byte-reader.js';
import { type BinaryKind, HEADER_LENGTH } from './header.js';
import { decodeUtf8Range } from './utf8.js';

/**
 * Section framing: `id:u8`, `size:leb(u32)`, body. The parsers here work on the bytes at a
 * known file offset, so that the positional reader and the in-memory editor share them.
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
  const reader = new ByteReader(head, start - at, at, Math.min(head.length, at + parentEnd - start));
  const id = reader.u8();
  const size = reader.varU32();
  const bodyStart = reader.offset;
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
  const reader = new ByteReader(
    head,
    header.bodyStart - at,
    at,
    Math.min(head.length, at + header.end - header.bodyStart),
  );
  const length = reader.varU32();
  const nameStart = reader.offset;
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

/** Checks that the custom-section name in `bytes[start..end]` is valid UTF-8, decoding only non-ASCII. */
export function checkCustomName(bytes: Uint8Array, start: number, end: number, header: SectionHeader): void {
  for (let i = start; i < end; i++) {
    if ((bytes[i] as number) >= 0x80) {
      decodeCustomName(bytes, header, start, end);
      return;
    }
  }
}

/** Decodes a custom-section name (all of `bytes`, or `bytes[start..end]`), which must be valid UTF-8. */
export function decodeCustomName(bytes: Uint8Array, header: SectionHeader, start = 0, end = bytes.length): string {
  const name = decodeUtf8Range(bytes, start, end);
  if (name === undefined)
    throw new WasmMetaError('bad-utf8', 'custom section name is not valid UTF-8', header.bodyStart);
  return name;
}

/**
 * Lists the top-level sections of the binary that spans `range` in `bytes` (in memory), in
 * order, with the names of custom sections. Nested binaries are single sections here.
 */
export function listSections(
  bytes: Uint8Array,
  binary: { kind: BinaryKind; range: { start: number; end: number } },
): Section[] {
  const sections: Section[] = [];
  const { end } = binary.range;
  for (let pos = binary.range.start + HEADER_LENGTH; pos < end;) {
    const header = parseSectionHeader(bytes, pos, end, binary.kind, pos);
    let name: string | undefined;
    let dataStart = header.bodyStart;
    if (header.id === 0) {
      const { nameStart, nameEnd } = parseCustomNameSpan(bytes, header, header.bodyStart);
      name = decodeCustomName(bytes, header, nameStart, nameEnd);
      dataStart = nameEnd;
    }
    // Spelled out: an object spread here is many times slower (V8 takes a generic path).
    sections.push({
      id: header.id,
      start: header.start,
      bodyStart: header.bodyStart,
      end: header.end,
      name,
      dataStart,
    });
    pos = header.end;
  }
  return sections;
}
