import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../src/binary/byte-reader.js';
import { ByteWriter } from '../../src/binary/byte-writer.js';
import { WasmMetaError } from '../../src/errors.js';
import { LIMITS } from '../../src/limits.js';
import { leb } from '../support/wasm.js';

function errorOf(f: () => unknown): WasmMetaError {
  try {
    f();
  } catch (error) {
    if (error instanceof WasmMetaError) return error;
    throw error;
  }
  throw new Error('expected a WasmMetaError');
}

describe('ByteReader.varU32', () => {
  it.each([
    [[0x00], 0],
    [[0x7f], 127],
    [[0x80, 0x01], 128],
    [[0xe5, 0x8e, 0x26], 624485],
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 0xffffffff],
    [[0x80, 0x80, 0x80, 0x80, 0x00], 0],
    [[0x85, 0x80, 0x80, 0x80, 0x00], 5],
  ])('reads %j as %d', (input, value) => {
    const reader = new ByteReader(Uint8Array.from(input));
    expect(reader.varU32()).toBe(value);
    expect(reader.done).toBe(true);
  });

  it('rejects a sixth byte', () => {
    const error = errorOf(() => new ByteReader(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), 100).varU32());
    expect(error.code).toBe('bad-leb');
    expect(error.offset).toBe(100);
  });

  it('rejects values above 2^32 - 1', () => {
    const error = errorOf(() => new ByteReader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x1f])).varU32());
    expect(error.code).toBe('bad-leb');
    expect(error.message).toMatch(/larger than 2\^32 - 1/);
  });

  it('reports a LEB128 cut off by the end of the view, with the absolute offset', () => {
    const error = errorOf(() => new ByteReader(Uint8Array.from([0, 0, 0x80, 0x80]), 1000, 2).varU32());
    expect(error.code).toBe('truncated');
    expect(error.offset).toBe(1002);
    expect(error.message).toContain('at byte offset 1002 (0x3ea)');
  });

  it('reads every u32 with any padding, and ByteWriter.varU32 writes minimal LEB128', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 4 }), (value, extra) => {
        const minimal = new ByteWriter().varU32(value).finish();
        expect(Array.from(minimal)).toEqual(leb(value));
        const width = Math.min(5, minimal.length + extra);
        const reader = new ByteReader(Uint8Array.from(leb(value, width)));
        expect(reader.varU32()).toBe(value);
        expect(reader.pos).toBe(width);
      }),
    );
  });
});

describe('ByteReader.string', () => {
  it('reads a length-prefixed UTF-8 string', () => {
    const reader = new ByteReader(Uint8Array.from([0x04, 0xc3, 0xa9, 0x74, 0xc3]), 0, 0, 5);
    expect(() => reader.string()).toThrow(WasmMetaError);
    const ok = new ByteReader(Uint8Array.from([0x03, 0xc3, 0xa9, 0x74]));
    expect(ok.string()).toBe('ét');
  });

  it('rejects invalid UTF-8 and over-long strings', () => {
    expect(errorOf(() => new ByteReader(Uint8Array.from([0x02, 0xc3, 0x28])).string()).code).toBe('bad-utf8');
    const long = Uint8Array.from(leb(LIMITS.maxNameBytes + 1));
    expect(errorOf(() => new ByteReader(long).string()).code).toBe('too-long');
  });

  it('keeps a byte-order mark', () => {
    expect(new ByteReader(Uint8Array.from([0x04, 0xef, 0xbb, 0xbf, 0x41])).string()).toBe('\ufeffA');
  });
});

describe('ByteReader.varS33', () => {
  it.each([
    [[0x7f], -1],
    [[0x73], -13],
    [[0x05], 5],
    [[0x80, 0x01], 128],
  ])('reads %j as %d', (input, value) => {
    expect(new ByteReader(Uint8Array.from(input)).varS33()).toBe(value);
  });
});
