import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import type { MetadataEdit, ProducerEntry } from '../../src/edit/edit.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { TEXT_FIELDS, type ValueKind } from '../../src/fields.js';
import type { Producers, TextFields, WasmBinary } from '../../src/metadata.js';
import { readMetadata } from '../../src/read.js';
import { HAS_SHARED, SHARED_DIR, sharedAvailable } from '../support/shared.js';
import {
  COMPONENT_HEADER,
  MODULE_HEADER,
  custom,
  nameSubsection,
  producersData,
  section,
  sectionsOf,
} from '../support/wasm.js';

// ---- Generators --------------------------------------------------------------------------

const text = fc.string({ unit: 'grapheme', maxLength: 24 });
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
const VALUE = Object.fromEntries(TEXT_FIELDS.map((field) => [field.key, OF_KIND[field.value]])) as Record<
  keyof TextFields,
  fc.Arbitrary<string>
>;
const FIELDS = TEXT_FIELDS.map((field) => field.key);
const producerField = fc.constantFrom<ProducerEntry['field']>('language', 'processed-by', 'sdk');
const producerEntry: fc.Arbitrary<ProducerEntry> = fc.record({
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
const binary = fc.oneof(moduleBinary, componentBinary).map((b) => Uint8Array.from(b));

const change = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(null) },
  );

const edit: fc.Arbitrary<MetadataEdit> = fc
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

// ---- Expectations ------------------------------------------------------------------------

const normalizeUrl = (field: keyof TextFields, value: string): string =>
  field === 'source' || field === 'homepage' || field === 'documentation' ? new URL(value).href : value;

/** What the edited binary's metadata must be. */
function expectedMetadata(before: WasmBinary, e: MetadataEdit): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const effective = <T>(value: T | null | undefined): T | null | undefined =>
    value === undefined && e.clearAll ? null : value;
  const name = effective(e.name);
  out['name'] = name === undefined ? before.name : name;
  for (const field of FIELDS) {
    const value = effective(e[field]);
    out[field] =
      value === undefined
        ? field === 'authors' && e.clearAll
          ? null
          : before[field]
        : value === null
          ? null
          : normalizeUrl(field, value);
  }
  const entries = e.producers ?? [];
  const clear = e.clearProducers === true || e.clearAll === true;
  let producers: Producers | null = clear ? null : before.producers;
  if (entries.length > 0) {
    producers = new Map(Array.from(producers ?? [], ([f, v]) => [f, new Map(v)]));
    for (const { field, name: n, version } of entries)
      producers.set(field, (producers.get(field) ?? new Map()).set(n, version));
  }
  out['producers'] = producers;
  return out;
}

function metadataOf(tree: WasmBinary): Record<string, unknown> {
  return Object.fromEntries(['name', ...FIELDS, 'producers'].map((k) => [k, tree[k as keyof WasmBinary]]));
}

/** The sections an edit may change: those of the fields it sets or clears. */
function touchedSections(e: MetadataEdit): Set<string> {
  const touched = new Set<string>();
  for (const field of FIELDS) if (e[field] !== undefined || e.clearAll) touched.add(field);
  if (e.name !== undefined || e.clearAll) touched.add('name').add('component-name');
  if ((e.producers ?? []).length > 0 || e.clearProducers || e.clearAll) touched.add('producers');
  if (e.clearAll || e.authors === null) touched.add('author');
  if (e.clearAll) touched.add('registry-metadata');
  return touched;
}

/** The bytes of each section of the outermost binary that the edit does not touch, in order. */
function untouched(bytes: Uint8Array, touched: Set<string>): string[] {
  return sectionsOf(bytes)
    .filter((s) => s.name === undefined || !touched.has(s.name))
    .map((s) => Buffer.from(bytes.subarray(s.start, s.end)).toString('hex'));
}

function checkEdit(input: Uint8Array, e: MetadataEdit): Uint8Array {
  const before = readMetadata(input);
  const output = joinChunks(applyEdit(input, e).chunks);
  const after = readMetadata(output);
  // Reading the output gives exactly the edited metadata.
  expect(metadataOf(after)).toEqual(expectedMetadata(before, e));
  // Every section the edit did not touch, nested binaries included, is byte-identical.
  const touched = touchedSections(e);
  expect(untouched(output, touched)).toEqual(untouched(input, touched));
  // No duplicates: a set field has exactly one section, a cleared one none.
  const names = sectionsOf(output).map((s) => s.name);
  for (const field of FIELDS) {
    const value = e[field] === undefined && e.clearAll ? null : e[field];
    if (value !== undefined) expect(names.filter((n) => n === field)).toHaveLength(value === null ? 0 : 1);
  }
  expect(after.children.map((c) => Buffer.from(output.subarray(c.range.start, c.range.end)).toString('hex'))).toEqual(
    before.children.map((c) => Buffer.from(input.subarray(c.range.start, c.range.end)).toString('hex')),
  );
  return output;
}

// ---- Properties ----------------------------------------------------------------------------

describe('edit properties on generated binaries', () => {
  it('the output has exactly the edited metadata, and untouched sections stay byte-identical', () => {
    fc.assert(
      fc.property(binary, edit, (input, e) => void checkEdit(input, e)),
      { seed: 1, numRuns: 1500 },
    );
  });

  it('applying an edit twice equals applying it once', () => {
    fc.assert(
      fc.property(binary, edit, (input, e) => {
        const once = joinChunks(applyEdit(input, e).chunks);
        const twice = applyEdit(once, e);
        expect(Buffer.from(joinChunks(twice.chunks)).equals(Buffer.from(once))).toBe(true);
        expect(twice.changed).toBe(false);
      }),
      { seed: 2, numRuns: 1000 },
    );
  });

  it('setting and then clearing fields that were absent restores the original', () => {
    fc.assert(
      fc.property(
        binary,
        fc.subarray(FIELDS, { minLength: 1 }),
        fc.infiniteStream(fc.nat()),
        (input, fields, seeds) => {
          const before = readMetadata(input);
          const absent = fields.filter(
            (f) => before[f] === null && !sectionsOf(input).some((s) => s.name === f || s.name === 'author'),
          );
          const set: MetadataEdit = {};
          const clear: MetadataEdit = {};
          for (const field of absent) {
            set[field] = fc.sample(VALUE[field], { numRuns: 1, seed: seeds.next().value as number })[0] as string;
            clear[field] = null;
          }
          const restored = joinChunks(applyEdit(joinChunks(applyEdit(input, set).chunks), clear).chunks);
          expect(Buffer.from(restored).equals(Buffer.from(input))).toBe(true);
          expect(metadataOf(readMetadata(restored))).toEqual(metadataOf(before));
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });

  it('setting and then clearing the name restores the original metadata', () => {
    fc.assert(
      fc.property(binary, text, (input, name) => {
        const before = readMetadata(input);
        fc.pre(before.name === null);
        const restored = joinChunks(applyEdit(joinChunks(applyEdit(input, { name }).chunks), { name: null }).chunks);
        expect(metadataOf(readMetadata(restored))).toEqual(metadataOf(before));
      }),
      { seed: 4, numRuns: 500 },
    );
  });
});

describe.runIf(sharedAvailable('the corpus edit properties'))('edit properties on the corpus', () => {
  const corpus = join(SHARED_DIR, 'corpus');
  const files = HAS_SHARED ? readdirSync(corpus).filter((f) => f.endsWith('.wasm')) : [];

  it.each(files)('%s', (file) => {
    const input = new Uint8Array(readFileSync(join(corpus, file)));
    fc.assert(
      fc.property(edit, (e) => {
        const output = checkEdit(input, e);
        const again = applyEdit(output, e);
        expect(again.changed).toBe(false);
      }),
      { seed: 5, numRuns: 12 },
    );
    // Padded size fields survive an edit that does not touch them (the Go module pads all).
    const out = joinChunks(
      applyEdit(input, { authors: 'x', producers: [{ field: 'sdk', name: 'a', version: '1' }] }).chunks,
    );
    const paddedBefore = sectionsOf(input).filter((s) => s.bodyStart - s.start === 6).length;
    const paddedAfter = sectionsOf(out).filter((s) => s.bodyStart - s.start === 6).length;
    expect(paddedAfter).toBe(paddedBefore - (file.startsWith('module-esbuild') ? 1 : 0));
  });

  it('the Go module pads every size field, so the padding check above means something', () => {
    const file = files.find((f) => f.startsWith('module-esbuild'));
    expect(file).toBeDefined();
    const input = new Uint8Array(readFileSync(join(corpus, file as string)));
    const sections = sectionsOf(input);
    expect(sections.every((s) => s.bodyStart - s.start === 6)).toBe(true);
  });
});
