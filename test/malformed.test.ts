import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WasmMetaError } from '../src/errors.js';
import { renderShowJson } from '../src/format/show-json.js';
import { renderShowTables } from '../src/format/show-table.js';
import { readMetadata } from '../src/read.js';
import { SHARED_DIR, sharedAvailable } from './support/shared.js';
import { SAMPLE, SECTION_BOUNDARIES, sampleWithBytesChanged } from './support/sample.js';
import { component, module } from './support/wasm.js';

/** Reads and renders `input`; returns the error kind, or 'ok'. Any other exception fails the test. */
function outcome(input: Uint8Array): string {
  try {
    const tree = readMetadata(input);
    renderShowTables(tree);
    renderShowJson(tree);
    return 'ok';
  } catch (error) {
    if (error instanceof WasmMetaError) {
      expect(error.offset === undefined || (error.offset >= 0 && error.offset <= input.length)).toBe(true);
      return error.code;
    }
    throw error;
  }
}

describe('malformed input gives a result or a WasmMetaError, never another exception', () => {
  it('reads the sample itself without diagnostics', () => {
    const tree = readMetadata(SAMPLE);
    expect(tree.name).toBe('sample');
    expect(tree.children[0]?.dependencies?.packages).toHaveLength(1);
    expect(tree.children[1]?.children[0]?.authors).toBe('legacy');
    expect(tree.diagnostics).toEqual([]);
  });

  it('truncated at every offset: an error, except where the cut falls between top-level sections', () => {
    const codes = new Set<string>();
    for (let length = 0; length < SAMPLE.length; length++) {
      const code = outcome(SAMPLE.subarray(0, length));
      expect(code === 'ok').toBe(SECTION_BOUNDARIES.includes(length));
      codes.add(code);
    }
    expect(codes).toEqual(new Set(['ok', 'truncated', 'section-overflow']));
  });

  it('with random bytes changed', () => {
    fc.assert(
      fc.property(sampleWithBytesChanged, (input) => {
        outcome(input);
      }),
      { seed: 20261128, numRuns: 3000 },
    );
  });

  it('with random spans deleted or inserted', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: SAMPLE.length }),
        fc.nat({ max: 16 }),
        fc.uint8Array({ maxLength: 16 }),
        (at, deleted, inserted) => {
          const input = new Uint8Array([...SAMPLE.subarray(0, at), ...inserted, ...SAMPLE.subarray(at + deleted)]);
          outcome(input);
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('with random bytes after a valid preamble', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 256 }), (isComponent, rest) => {
        const header = isComponent ? component() : module();
        outcome(Uint8Array.from([...header, ...rest]));
      }),
      { seed: 99, numRuns: 2000 },
    );
  });

  it.runIf(sharedAvailable('the corpus mutation test'))('corpus files with random bytes changed', () => {
    const file = readFileSync(join(SHARED_DIR, 'corpus', 'module-jco-1.35.0-wasi-preview1-command-adapter.wasm'));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: file.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (changes) => {
          const input = Uint8Array.from(file);
          for (const [at, value] of changes) input[at] = value;
          outcome(input);
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });
});
