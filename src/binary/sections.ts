import { WasmMetaError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { ByteReader } from './byte-reader.js';
import { type BinaryKind, HEADER_LENGTH } from './header.js';
import { decodeUtf8 } from './utf8.js';

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
 */
export function parseSectionHeader(
  head: Uint8Array,
  start: number,
  parentEnd: number,
  parentKind: BinaryKind,
): SectionHeader {
  const reader = new ByteReader(head, start, 0, Math.min(head.length, parentEnd - start));
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
 * first bytes; five are enough) and returns where the name starts and ends.
 */
export function parseCustomNameSpan(head: Uint8Array, header: SectionHeader): { nameStart: number; nameEnd: number } {
  const reader = new ByteReader(head, header.bodyStart, 0, Math.min(head.length, header.end - header.bodyStart));
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

/** Checks that a custom-section name is valid UTF-8, decoding it only if it is not ASCII. */
export function checkCustomName(bytes: Uint8Array, header: SectionHeader): void {
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] as number) >= 0x80) {
      decodeCustomName(bytes, header);
      return;
    }
  }
}

/** Decodes a custom-section name, which must be valid UTF-8. */
export function decodeCustomName(bytes: Uint8Array, header: SectionHeader): string {
  const name = decodeUtf8(bytes);
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
    const header = parseSectionHeader(bytes.subarray(pos, pos + MAX_SECTION_HEADER_LENGTH), pos, end, binary.kind);
    let name: string | undefined;
    let dataStart = header.bodyStart;
    if (header.id === 0) {
      const { nameStart, nameEnd } = parseCustomNameSpan(
        bytes.subarray(header.bodyStart, header.bodyStart + MAX_NAME_LENGTH_LENGTH),
        header,
      );
      name = decodeCustomName(bytes.subarray(nameStart, nameEnd), header);
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
