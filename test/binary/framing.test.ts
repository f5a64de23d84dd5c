import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFraming } from '../../src/binary/framing.js';
import { WasmMetaError } from '../../src/errors.js';
import { LIMITS } from '../../src/limits.js';
import { readMetadata } from '../../src/read.js';
import { SAMPLE, sampleWithBytesChanged } from '../support/sample.js';
import { component, custom, module, nested } from '../support/wasm.js';

/** What a function does with `input`: 'ok', or the code, offset and message it throws. */
function outcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (error instanceof WasmMetaError) return `${error.code} ${error.message}`;
    throw error;
  }
}

/** checkFraming and readMetadata agree: both succeed, or both throw the same error. */
function expectSameVerdict(input: Uint8Array): void {
  expect(outcome(() => checkFraming(input))).toBe(outcome(() => readMetadata(input)));
}

describe('checkFraming', () => {
  it('returns the chain of binaries to a nested path, with the ranges readMetadata gives', () => {
    const tree = readMetadata(SAMPLE);
    const inner = tree.children[1]?.children[0];
    expect(inner?.kind).toBe('module');
    const chain = checkFraming(SAMPLE, [1, 0]);
    expect(chain.map((b) => [b.kind, b.range])).toEqual([
      ['component', tree.range],
      ['component', tree.children[1]?.range],
      ['module', inner?.range],
    ]);
    expect(checkFraming(SAMPLE)).toEqual([{ kind: 'component', range: { start: 0, end: SAMPLE.length } }]);
  });

  it('stops the chain where the path leads to no binary', () => {
    expect(checkFraming(SAMPLE, [2])).toHaveLength(1);
    expect(checkFraming(SAMPLE, [0, 0])).toHaveLength(2); // the first child is a module
    expect(checkFraming(SAMPLE, [1, 1])).toHaveLength(2);
  });

  it('checks binaries off the path too', () => {
    const broken = Uint8Array.from(component(nested(module(custom('x', 'y'))), nested(module())));
    broken[8 + 2 + 8 + 1] = 0x7f; // the custom section of the first module now runs past it
    expect(() => checkFraming(broken, [1])).toThrow(WasmMetaError);
    expectSameVerdict(broken);
  });

  it('throws what readMetadata throws on truncated input', () => {
    for (let length = 0; length < SAMPLE.length; length++) expectSameVerdict(SAMPLE.subarray(0, length));
  });

  it('throws what readMetadata throws on input with random bytes changed', () => {
    fc.assert(
      fc.property(sampleWithBytesChanged, (input) => {
        expectSameVerdict(input);
      }),
      { seed: 20261128, numRuns: 3000 },
    );
  });

  it(`refuses nesting deeper than ${LIMITS.maxNestingDepth}, as readMetadata does`, () => {
    const nestedTo = (depth: number): Uint8Array => {
      let binary = module();
      for (let i = 0; i < depth; i++) binary = component(nested(binary));
      return Uint8Array.from(binary);
    };
    expect(outcome(() => checkFraming(nestedTo(LIMITS.maxNestingDepth)))).toBe('ok');
    expect(outcome(() => checkFraming(nestedTo(LIMITS.maxNestingDepth + 1)))).toMatch(/^too-deep /);
    expectSameVerdict(nestedTo(LIMITS.maxNestingDepth + 1));
  });
});
