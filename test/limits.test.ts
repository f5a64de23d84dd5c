import { describe, expect, it } from 'vitest';
import { WasmMetaError } from '../src/errors.js';
import { LIMITS } from '../src/limits.js';
import { readMetadata } from '../src/read.js';
import { COMPONENT_HEADER, MODULE_HEADER, leb, str } from './support/wasm.js';

/** `count` copies of `unit` after `header`, built without large intermediate arrays. */
function repeated(header: number[], unit: number[], count: number): Uint8Array {
  const out = new Uint8Array(header.length + unit.length * count);
  out.set(header);
  for (let i = 0; i < count; i++) out.set(unit, header.length + i * unit.length);
  return out;
}

/** `input` without its last `unit`: one copy fewer, without building the large input again. */
function oneFewer(input: Uint8Array, unit: number[]): Uint8Array {
  return input.subarray(0, input.length - unit.length);
}

function codeOf(input: Uint8Array): string {
  try {
    readMetadata(input);
    return 'ok';
  } catch (error) {
    if (error instanceof WasmMetaError) return error.code;
    throw error;
  }
}

describe('resource limits', () => {
  const emptyModule = [1, MODULE_HEADER.length, ...MODULE_HEADER];

  it(`allows ${LIMITS.maxBinaries} modules and components per file, and no more`, () => {
    // The outermost component counts as one.
    const tooMany = repeated(COMPONENT_HEADER, emptyModule, LIMITS.maxBinaries);
    expect(codeOf(oneFewer(tooMany, emptyModule))).toBe('ok');
    expect(codeOf(tooMany)).toBe('too-many');
  });

  it(`allows ${LIMITS.maxSections} sections per file, and no more`, () => {
    const emptySection = [12, 0]; // a data-count section with no body: framing only
    const tooMany = repeated(MODULE_HEADER, emptySection, LIMITS.maxSections + 1);
    expect(codeOf(oneFewer(tooMany, emptySection))).toBe('ok');
    expect(codeOf(tooMany)).toBe('too-many');
  });

  it('reports structured sections over the decode limit as diagnostics without decoding them', () => {
    const name = str('producers');
    const size = name.length + LIMITS.maxDecodedSectionBytes + 1;
    const input = new Uint8Array(MODULE_HEADER.length + 1 + leb(size).length + size);
    input.set([...MODULE_HEADER, 0, ...leb(size), ...name]);
    const tree = readMetadata(input);
    expect(tree.producers).toBeNull();
    expect(tree.diagnostics).toEqual([
      { offset: 8, section: 'producers', message: expect.stringMatching(/larger than the limit of 16777216/) },
    ]);
  });

  it('refuses sizes declared larger than what holds them, with the offset of the section', () => {
    const body = [...str('x'), 1, 2, 3];
    const pastFile = Uint8Array.from([...MODULE_HEADER, 0, ...leb(body.length + 1000), ...body]);
    expect(() => readMetadata(pastFile)).toThrow(expect.objectContaining({ code: 'section-overflow', offset: 8 }));
    // A nested module claiming more than its component has left.
    const inner = [...MODULE_HEADER];
    const pastParent = Uint8Array.from([...COMPONENT_HEADER, 1, ...leb(inner.length + 1), ...inner]);
    expect(() => readMetadata(pastParent)).toThrow(expect.objectContaining({ code: 'section-overflow', offset: 8 }));
  });

  it('refuses size fields of 4 GiB and more, and LEB128 sizes longer than five bytes', () => {
    const sized = (size: number[]): string => codeOf(Uint8Array.from([...MODULE_HEADER, 0, ...size, 0]));
    expect(sized([0xff, 0xff, 0xff, 0xff, 0x0f])).toBe('section-overflow'); // 4 GiB - 1: past the file
    expect(sized([0x80, 0x80, 0x80, 0x80, 0x10])).toBe('bad-leb'); // 4 GiB
    expect(sized([0x81, 0x80, 0x80, 0x80, 0x80, 0x00])).toBe('bad-leb'); // six bytes
    expect(sized([0x81, 0x80, 0x80, 0x80, 0x00])).toBe('ok'); // padded to five bytes: allowed
  });
});
