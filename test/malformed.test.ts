import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WasmMetaError } from '../src/errors.js';
import { renderShowJson } from '../src/format/show-json.js';
import { renderShowTables } from '../src/format/show-table.js';
import { readMetadata } from '../src/read.js';
import { SHARED_DIR, sharedAvailable } from './support/shared.js';
import { component, custom, leb, module, nameSubsection, nested, producersData, section, str } from './support/wasm.js';

/** A small component with every kind of metadata section, nested binaries and an interface. */
const SAMPLE_SECTIONS = [
  custom('component-name', nameSubsection('sample')),
  section(10, [...leb(1), 0x00, ...str('wasi:cli/environment@0.2.0'), 0x05, ...leb(0)]),
  nested(
    module(
      section(2, [...leb(1), ...str('env'), ...str('memory'), 0x02, 0x00, ...leb(1)]),
      custom('name', nameSubsection('inner')),
      custom(
        'producers',
        producersData([
          ['language', [['Rust', '']]],
          ['processed-by', [['rustc', '1.88.0']]],
        ]),
      ),
      custom('.dep-v0', deflateSync('{"packages":[{"name":"adler","version":"0.2.3","source":"registry"}]}')),
    ),
  ),
  nested(component(nested(module(custom('author', 'legacy'))))),
  custom('producers', producersData([['processed-by', [['wit-component', '0.259.0']]]])),
  custom('authors', 'Chashu Cat'),
  custom('licenses', 'Apache-2.0 WITH LLVM-exception'),
  custom('source', 'https://github.com/acme/sample'),
  custom('created', '2026-01-01T00:00:00Z'),
  custom('registry-metadata', '{"description":"old"}'),
  section(11, [...leb(1), 0x00, ...str('run'), 0x01, ...leb(0), 0x00]),
];
const SAMPLE = Uint8Array.from(component(...SAMPLE_SECTIONS));
/** Lengths at which a cut leaves a complete component: after the preamble or a top-level section. */
const SECTION_BOUNDARIES = SAMPLE_SECTIONS.reduce((ends, s) => [...ends, (ends.at(-1) as number) + s.length], [8]);

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
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: SAMPLE.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (changes) => {
          const input = SAMPLE.slice();
          for (const [at, value] of changes) input[at] = value;
          outcome(input);
        },
      ),
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
