import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../src/binary/byte-reader.js';
import { parseCustomNameSpan, parseSectionHeader } from '../../src/binary/sections.js';
import { WasmMetaError } from '../../src/errors.js';
import { LIMITS } from '../../src/limits.js';

/** What `f` returns, or the code, offset and message of the `WasmMetaError` it throws. */
function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (error) {
    if (error instanceof WasmMetaError) return `${error.code} ${error.message}`;
    throw error;
  }
}

/** The section header as a plain reader reads it: the reference for the fast path. */
function referenceHeader(head: Uint8Array, start: number, parentEnd: number, at: number) {
  const reader = new ByteReader(head, start - at, at, Math.min(head.length, at + parentEnd - start));
  const id = reader.u8();
  const size = reader.varU32();
  const bodyStart = reader.offset;
  if (size > parentEnd - bodyStart) {
    throw new WasmMetaError(
      'section-overflow',
      `section ${id} of ${size} bytes runs past the end of its module (${parentEnd - bodyStart} bytes left)`,
      start,
    );
  }
  return { id, start, bodyStart, end: bodyStart + size };
}

/** The name span as a plain reader reads it. */
function referenceNameSpan(head: Uint8Array, header: { bodyStart: number; end: number }, at: number) {
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

// Bytes biased towards the edges of LEB128: continuation bits, 0x7f, 0x80, zero.
const edgyByte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0x81, 0xff));
const input = fc.record({
  bytes: fc.array(edgyByte, { maxLength: 12 }).map((b) => Uint8Array.from(b)),
  at: fc.nat({ max: 3 }),
  start: fc.nat({ max: 1000 }),
  room: fc.nat({ max: 40000 }),
});

describe('section framing', () => {
  it('reads a section header as a plain reader does, errors included', () => {
    fc.assert(
      fc.property(input, ({ bytes, at, start, room }) => {
        const at_ = Math.min(at, bytes.length);
        const parentEnd = start + room;
        expect(outcome(() => parseSectionHeader(bytes, start, parentEnd, 'module', at_))).toEqual(
          outcome(() => referenceHeader(bytes, start, parentEnd, at_)),
        );
      }),
      { numRuns: 20000, seed: 20261202 },
    );
  });

  it('reads a custom-section name length as a plain reader does, errors included', () => {
    fc.assert(
      fc.property(input, ({ bytes, at, start, room }) => {
        const at_ = Math.min(at, bytes.length);
        const header = { id: 0, start, bodyStart: start + 2, end: start + 2 + room };
        expect(outcome(() => parseCustomNameSpan(bytes, header, at_))).toEqual(
          outcome(() => referenceNameSpan(bytes, header, at_)),
        );
      }),
      { numRuns: 20000, seed: 20261202 },
    );
  });
});
