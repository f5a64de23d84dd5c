import { describe, expect, it } from 'vitest';
import type { EditChange } from '../../src/edit/edit.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { component, custom, module, nameSubsection, nested, producersData } from '../support/wasm.js';

const changesOf = (binary: number[], edit: Parameters<typeof applyEdit>[1]): EditChange[] =>
  applyEdit(Uint8Array.from(binary), edit).changes;
const field = (name: string, before: string | null, after: string | null, duplicatesRemoved = 0) => ({
  kind: 'field',
  field: name,
  before,
  after,
  duplicatesRemoved,
});

describe('applyEdit: what it changed', () => {
  it('reports each field it sets or clears, with the value before and after, in table order', () => {
    const binary = module(
      custom('name', nameSubsection('old')),
      custom('name', nameSubsection('app')),
      custom('version', '1'),
      custom('source', 'https://example.com/'),
    );
    expect(changesOf(binary, { version: '2', name: 'app', source: 'https://Example.com' })).toEqual([
      field('name', 'app', 'app', 1),
      field('source', 'https://example.com/', 'https://example.com/'),
      field('version', '1', '2'),
    ]);
    expect(changesOf(binary, { source: null, licenses: null })).toEqual([
      field('licenses', null, null),
      field('source', 'https://example.com/', null),
    ]);
  });

  it('reports only what clearAll removed, besides the fields named', () => {
    const binary = module(custom('vendor', 'V'), custom('producers', producersData([['sdk', [['x', '1']]]])));
    expect(changesOf(binary, { clearAll: true, licenses: 'MIT' })).toEqual([
      { kind: 'section-removed', section: 'producers' },
      field('licenses', null, 'MIT'),
      field('vendor', 'V', null),
    ]);
    expect(changesOf(module(), { clearAll: true })).toEqual([]);
  });

  it('reports producers values: added, changed, kept by ifAbsent, and a value given twice once', () => {
    const binary = module(custom('producers', producersData([['language', [['Rust', '1.80']]]])));
    expect(
      changesOf(binary, {
        producers: [
          { field: 'language', name: 'Rust', version: '', ifAbsent: true },
          { field: 'sdk', name: 'x', version: '1' },
          { field: 'sdk', name: 'x', version: '2' },
        ],
      }),
    ).toEqual([
      { kind: 'producer', field: 'language', name: 'Rust', before: '1.80', after: '1.80' },
      { kind: 'producer', field: 'sdk', name: 'x', before: null, after: '2' },
    ]);
  });

  it('reports the target binary only, and leaves what a migration did to its own lines', () => {
    const inner = module(custom('author', 'Old'), custom('version', '1'));
    const binary = component(custom('version', 'outer'), nested(inner));
    expect(changesOf(binary, { nested: [0], version: '2' })).toEqual([field('version', '1', '2')]);
    const migrated = applyEdit(Uint8Array.from(inner), { migrateLegacy: true, version: '2' });
    expect(migrated.changes).toEqual([field('version', '1', '2')]);
    expect(migrated.migration).toContain('authors: set to "Old" (from the author section)');
    // Without a migration, the legacy author removed with the authors is reported.
    expect(changesOf(inner, { authors: null })).toEqual([
      field('authors', null, null),
      { kind: 'section-removed', section: 'author' },
    ]);
  });

  it('shows a value that is not UTF-8 with replacement characters', () => {
    expect(changesOf(module(custom('vendor', [0xff, 0x41])), { vendor: 'A' })).toEqual([
      field('vendor', '\ufffdA', 'A'),
    ]);
  });
});
