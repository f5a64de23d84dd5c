import { describe, expect, it } from 'vitest';
import { CHECK_FIELDS, FIELDS, OCI_PREFIX, TEXT_FIELDS, placeholderOf } from '../src/fields.js';

describe('the field table', () => {
  it('lists the text fields in the order add appends their sections (wasm-tools, then the draft)', () => {
    expect(TEXT_FIELDS.map((field) => field.section)).toEqual([
      'authors',
      'description',
      'licenses',
      'source',
      'homepage',
      'revision',
      'version',
      'documentation',
      'vendor',
      'created',
    ]);
    expect(FIELDS[0].key).toBe('name');
    expect(CHECK_FIELDS).toEqual([...FIELDS.map((field) => field.key), 'producers']);
  });

  it('gives every field its own key, section, annotation and row of show', () => {
    const unique = (values: readonly unknown[]) => new Set(values).size === values.length;
    expect(unique(FIELDS.map((field) => field.key))).toBe(true);
    expect(unique(TEXT_FIELDS.map((field) => field.section))).toBe(true);
    expect(unique(FIELDS.map((field) => field.annotation))).toBe(true);
    expect(FIELDS.every((field) => field.annotation.startsWith(OCI_PREFIX))).toBe(true);
    expect(FIELDS.map((field) => field.showRank).sort((a, b) => a - b)).toEqual(FIELDS.map((_, i) => i));
    // wasm-tools' fields come first: its JSON keys lead, in table order.
    const firstDraft = FIELDS.findIndex((field) => !field.wasmTools);
    expect(FIELDS.slice(firstDraft).every((field) => !field.wasmTools)).toBe(true);
  });

  it('names each flag value for what it is', () => {
    expect(Object.fromEntries(FIELDS.map((field) => [field.key, placeholderOf(field)]))).toEqual({
      name: 'NAME',
      authors: 'TEXT',
      description: 'TEXT',
      licenses: 'SPDX-EXPRESSION',
      source: 'URL',
      homepage: 'URL',
      revision: 'TEXT',
      version: 'VERSION',
      documentation: 'URL',
      vendor: 'TEXT',
      created: 'RFC3339',
    });
  });
});
