import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import type { MetadataEdit } from '../../src/edit/edit.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import type { Producers, TextFields, WasmBinary } from '../../src/metadata.js';
import { readMetadata } from '../../src/read.js';
import { FIELDS, VALUE, binary, edit, text } from '../support/edit-arbitraries.js';
import { HAS_SHARED, SHARED_DIR, sharedAvailable } from '../support/shared.js';
import { sectionsOf } from '../support/wasm.js';

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
