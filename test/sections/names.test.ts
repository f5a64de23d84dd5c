import { describe, expect, it } from 'vitest';
import { runOnBytes } from '../../src/binary/byte-source.js';
import { WasmMetaError } from '../../src/errors.js';
import { ByteWriter } from '../../src/binary/byte-writer.js';
import { readNameSection, writeNameSubsection } from '../../src/sections/names.js';
import { leb, nameSubsection, str } from '../support/wasm.js';

/** Reads a name section's data placed at offset 7 of a buffer, as it would be in a file. */
function readName(data: number[]): string | undefined {
  const buffer = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, ...data, 9, 9]);
  return runOnBytes(readNameSection(7, 7 + data.length), buffer).name;
}

// Function names: subsection 1, one entry (index 0, "f").
const functionNames = [1, ...leb(4), ...leb(1), ...leb(0), ...str('f')];

describe('readNameSection', () => {
  it('reads subsection 0', () => {
    expect(readName(nameSubsection('foo'))).toBe('foo');
    expect(readName([...nameSubsection('bar'), ...functionNames])).toBe('bar');
  });

  it('returns undefined when there is no subsection 0', () => {
    expect(readName(functionNames)).toBeUndefined();
    expect(readName([])).toBeUndefined();
  });

  it('skips unknown subsections and takes the last subsection 0', () => {
    expect(readName([...nameSubsection('a'), 0x7f, 0x01, 0x00, ...nameSubsection('b')])).toBe('b');
  });

  it('rejects trailing data after the name', () => {
    const body = [...str('foo'), 0x00];
    expect(() => readName([0, ...leb(body.length), ...body])).toThrow(/trailing data at the end of a name/);
  });

  it('rejects a subsection that runs past the section', () => {
    try {
      readName([1, 10, 0]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WasmMetaError);
      expect((error as WasmMetaError).code).toBe('section-overflow');
      expect((error as WasmMetaError).offset).toBe(7);
    }
  });

  it('accepts padded subsection sizes', () => {
    const body = str('pad');
    expect(readName([0, ...leb(body.length, 5), ...body])).toBe('pad');
  });
});

describe('name subsections', () => {
  it('lists every subsection with its file range', () => {
    const data = [...functionNames, ...nameSubsection('x')];
    const buffer = Uint8Array.from([0, 0, 0, ...data]);
    expect(runOnBytes(readNameSection(3, 3 + data.length), buffer)).toEqual({
      subsections: [
        { id: 1, start: 3, end: 3 + functionNames.length },
        { id: 0, start: 3 + functionNames.length, end: 3 + data.length },
      ],
      name: 'x',
    });
  });

  it('encodes subsection 0 minimally', () => {
    const encode = (name: string) => {
      const out = new ByteWriter();
      writeNameSubsection(out, name);
      return Array.from(out.finish());
    };
    expect(encode('foo')).toEqual(nameSubsection('foo'));
    expect(encode('é'.repeat(100))).toEqual(nameSubsection('é'.repeat(100)));
  });
});
