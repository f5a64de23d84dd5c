import fc from 'fast-check';
import type { MetadataEdit, ProducerEntry } from '../../src/edit/edit.js';
import { TEXT_FIELDS, type ValueKind } from '../../src/fields.js';
import type { TextFields } from '../../src/metadata.js';
import { COMPONENT_HEADER, MODULE_HEADER, custom, nameSubsection, producersData, section } from './wasm.js';

/** Generators of binaries and edits for property tests (test/edit/properties.test.ts, test/node/edit-file.test.ts). */
export const text = fc.string({ unit: 'grapheme', maxLength: 24 });
const url = fc.webUrl({ withQueryParameters: true, withFragments: true });
const spdx = fc.constantFrom(
  'MIT',
  'Apache-2.0',
  'Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT',
  'LicenseRef-acme',
  '(MIT OR BSD-3-Clause) AND Zlib',
);
const created = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** A valid value of each kind, and so of each text field of the field table. */
const OF_KIND: Record<ValueKind, fc.Arbitrary<string>> = { text, spdx, url, 'date-time': created };
export const VALUE = Object.fromEntries(TEXT_FIELDS.map((field) => [field.key, OF_KIND[field.value]])) as Record<
  keyof TextFields,
  fc.Arbitrary<string>
>;
export const FIELDS = TEXT_FIELDS.map((field) => field.key);
const producerField = fc.constantFrom<ProducerEntry['field']>('language', 'processed-by', 'sdk');
export const producerEntry: fc.Arbitrary<ProducerEntry> = fc.record({
  field: producerField,
  name: fc.constantFrom('rustc', 'clang', 'JavaScript', 'wasm-meta', '2', ''),
  version: fc.constantFrom('', '1.0', '2.0.0 (abc)', '='),
});

/** Padding for a section size: none, or up to 5 bytes (as Go writes them). */
const width = fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined });

/** A section of any kind that may stand in a module or a component. */
const anySection = (nestedBinary: fc.Arbitrary<number[]> | null): fc.Arbitrary<number[]> => {
  const options: Array<fc.Arbitrary<number[]>> = [
    fc.tuple(fc.constantFrom(...FIELDS), width).chain(([field, w]) => VALUE[field].map((v) => custom(field, v, w))),
    fc
      .tuple(fc.constantFrom('licenses', 'source', 'created'), width)
      .map(([field, w]) => custom(field, 'not valid/', w)),
    fc
      .tuple(fc.array(producerEntry, { maxLength: 4 }), width)
      .map(([entries, w]) => custom('producers', producersData(groupProducers(entries)), w)),
    fc
      .tuple(fc.constantFrom('name', 'component-name'), fc.option(text), fc.boolean(), width)
      .map(([name, value, functions, w]) =>
        custom(
          name,
          [...(value === null ? [] : nameSubsection(value)), ...(functions ? [1, 4, 1, 0, 1, 0x66] : [])],
          w,
        ),
      ),
    text.map((v) => custom('author', v)),
    fc
      .tuple(
        fc.constantFrom('target_features', '.debug_info', 'sourceMappingURL', '.dep-v1'),
        fc.uint8Array({ maxLength: 12 }),
        width,
      )
      .map(([name, data, w]) => custom(name, data, w)),
    fc
      .tuple(fc.constantFrom(3, 5, 6, 12), fc.uint8Array({ maxLength: 12 }), width)
      .map(([id, body, w]) => section(id, body, w)),
  ];
  if (nestedBinary !== null) options.push(nestedBinary.map((binary) => section(binary[4] === 0x0d ? 4 : 1, binary)));
  return fc.oneof(...options);
};

function groupProducers(entries: readonly ProducerEntry[]): Array<[string, Array<[string, string]>]> {
  const map = new Map<string, Map<string, string>>();
  for (const e of entries) map.set(e.field, (map.get(e.field) ?? new Map()).set(e.name, e.version));
  return Array.from(map, ([field, values]) => [field, Array.from(values)]);
}

const moduleBinary = fc
  .array(anySection(null), { maxLength: 8 })
  .map((sections) => [...MODULE_HEADER, ...sections.flat()]);
const componentBinary = fc
  .array(
    anySection(
      fc.oneof(
        moduleBinary,
        fc.array(anySection(moduleBinary), { maxLength: 3 }).map((s) => [...COMPONENT_HEADER, ...s.flat()]),
      ),
    ),
    {
      maxLength: 8,
    },
  )
  .map((sections) => [...COMPONENT_HEADER, ...sections.flat()]);
export const binary = fc.oneof(moduleBinary, componentBinary).map((b) => Uint8Array.from(b));

const change = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(null) },
  );

export const edit: fc.Arbitrary<MetadataEdit> = fc
  .record({
    name: change(text),
    producers: fc.array(producerEntry, { maxLength: 4 }),
    clearProducers: fc.boolean(),
    clearAll: fc.boolean(),
    ...Object.fromEntries(FIELDS.map((field) => [field, change(VALUE[field])])),
  })
  .map((e) => {
    // Weight the flags down: most edits keep most fields.
    const out: MetadataEdit = {
      ...e,
      clearProducers: e.clearProducers && e.producers.length % 2 === 1,
      clearAll: e.clearAll && e.producers.length === 3,
    };
    for (const key of Object.keys(out) as Array<keyof MetadataEdit>) if (out[key] === undefined) delete out[key];
    return out;
  });
