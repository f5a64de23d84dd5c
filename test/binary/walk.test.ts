import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runOnBytes } from '../../src/binary/byte-source.js';
import { walkBinaries } from '../../src/binary/walk.js';
import { locate } from '../../src/edit/locate.js';
import { WasmMetaError } from '../../src/errors.js';
import { LIMITS } from '../../src/limits.js';
import { type WasmBinary, binariesOf } from '../../src/metadata.js';
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

/** The walk alone, with a visitor that does nothing: the framing checks only. */
function walkFraming(input: Uint8Array): void {
  runOnBytes(
    walkBinaries(input.length, { enter: () => undefined, section: () => undefined, leave: () => undefined }),
    input,
  );
}

/** The framing walk, the locator of edits and readMetadata agree: all succeed, or all throw the same error. */
function expectSameVerdict(input: Uint8Array): void {
  const read = outcome(() => readMetadata(input));
  expect(outcome(() => walkFraming(input))).toBe(read);
  expect(outcome(() => locate(input, []))).toBe(read);
}

describe('the walk', () => {
  it('tells every binary and section in file order, with the section that holds each nested binary', () => {
    const events: string[] = [];
    runOnBytes(
      walkBinaries<string>(SAMPLE.length, {
        enter: (binary, parent) => {
          events.push(
            `enter ${binary.kind} ${binary.depth} ${binary.range.start}-${binary.range.end} in ${parent ?? '-'}`,
          );
          if (binary.section !== undefined) expect(binary.section.bodyStart).toBe(binary.range.start);
          return `${binary.kind}@${binary.range.start}`;
        },
        section: (owner, section) => {
          events.push(`${owner}: ${section.id}${section.name === undefined ? '' : ` ${section.name}`}`);
          return undefined;
        },
        leave: (binary) => void events.push(`leave ${binary}`),
      }),
      SAMPLE,
    );
    const tree = readMetadata(SAMPLE);
    const entered = events.filter((e) => e.startsWith('enter')).map((e) => e.split(' ').slice(1, 4));
    expect(entered).toEqual(
      Array.from(binariesOf(tree), (b) => [b.kind, String(depthOf(tree, b)), `${b.range.start}-${b.range.end}`]),
    );
    expect(events[events.length - 1]).toBe('leave component@0');
    expect(events.filter((e) => e.startsWith('leave'))).toHaveLength(entered.length);
  });

  it('asks for framing a window at a time, not once per section', () => {
    let requests = 0;
    const input = Uint8Array.from(module(...Array.from({ length: 200 }, (_, i) => custom(`s${i}`, 'x'))));
    const reading = walkBinaries(input.length, {
      enter: () => undefined,
      section: () => undefined,
      leave: () => undefined,
    });
    for (let step = reading.next(); !step.done; requests++) {
      step = reading.next(input.subarray(step.value.offset, step.value.offset + step.value.length));
    }
    expect(requests).toBeLessThan(5);
  });
});

describe('locate', () => {
  it('returns the chain of binaries to a nested path, with the ranges readMetadata gives', () => {
    const tree = readMetadata(SAMPLE);
    const inner = tree.children[1]?.children[0];
    expect(inner?.kind).toBe('module');
    const chain = locate(SAMPLE, [1, 0]);
    expect(chain.map((b) => [b.binary.kind, b.binary.range])).toEqual([
      ['component', tree.range],
      ['component', tree.children[1]?.range],
      ['module', inner?.range],
    ]);
    expect(chain.map((b) => b.sections === undefined)).toEqual([true, true, false]);
    expect(locate(SAMPLE).map((b) => b.binary.range)).toEqual([{ start: 0, end: SAMPLE.length }]);
  });

  it('stops the chain where the path leads to no binary', () => {
    expect(locate(SAMPLE, [2])).toHaveLength(1);
    expect(locate(SAMPLE, [0, 0])).toHaveLength(2); // the first child is a module
    expect(locate(SAMPLE, [1, 1])).toHaveLength(2);
  });

  it('reads the metadata in the same walk when asked', () => {
    const [root] = locate(SAMPLE, [], {});
    expect(root?.metadata).toEqual(readMetadata(SAMPLE));
  });

  it('checks binaries off the path too', () => {
    const broken = Uint8Array.from(component(nested(module(custom('x', 'y'))), nested(module())));
    broken[8 + 2 + 8 + 1] = 0x7f; // the custom section of the first module now runs past it
    expect(() => locate(broken, [1])).toThrow(WasmMetaError);
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
    expect(outcome(() => walkFraming(nestedTo(LIMITS.maxNestingDepth)))).toBe('ok');
    expect(outcome(() => walkFraming(nestedTo(LIMITS.maxNestingDepth + 1)))).toMatch(/^too-deep /);
    expectSameVerdict(nestedTo(LIMITS.maxNestingDepth + 1));
  });
});

function depthOf(root: WasmBinary, target: WasmBinary, depth = 0): number {
  if (root === target) return depth;
  for (const child of root.children) {
    const found = depthOf(child, target, depth + 1);
    if (found >= 0) return found;
  }
  return -1;
}
