// A small component with every kind of metadata section, for the malformed-input tests.
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { component, custom, leb, module, nameSubsection, nested, producersData, section, str } from './wasm.js';

/** A small component with every kind of metadata section, nested binaries and an interface. */
export const SAMPLE_SECTIONS = [
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
export const SAMPLE = Uint8Array.from(component(...SAMPLE_SECTIONS));
/** Lengths at which a cut leaves a complete component: after the preamble or a top-level section. */
export const SECTION_BOUNDARIES = SAMPLE_SECTIONS.reduce(
  (ends, s) => [...ends, (ends.at(-1) as number) + s.length],
  [8],
);

/** An arbitrary copy of SAMPLE with one to eight bytes set to random values. */
export const sampleWithBytesChanged = fc
  .array(fc.tuple(fc.nat({ max: SAMPLE.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
  .map((changes) => {
    const input = SAMPLE.slice();
    for (const [at, value] of changes) input[at] = value;
    return input;
  });
