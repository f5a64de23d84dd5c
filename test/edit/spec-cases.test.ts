import { describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import type { MetadataEdit } from '../../src/edit/edit.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { readMetadata } from '../../src/read.js';
import { component, custom, leb, module, nameSubsection, section } from '../support/wasm.js';

const edit = (input: Uint8Array | number[], change: MetadataEdit): Uint8Array =>
  joinChunks(applyEdit(input instanceof Uint8Array ? input : Uint8Array.from(input), change).chunks);

/** The JSON of spec §5 in the stored-block zlib form wasm-tools' tests use (90-byte section). */
function depSection(): number[] {
  const json = Buffer.from('{"packages":[{"name":"adler","version":"0.2.3","source":"registry"}]}');
  let a = 1;
  let b = 0;
  for (const byte of json) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const adler = ((b << 16) | a) >>> 0;
  const len = json.length;
  const data = [0x78, 0x01, 0x01, len & 0xff, len >> 8, ~len & 0xff, (~len >> 8) & 0xff, ...json];
  data.push(adler >>> 24, (adler >>> 16) & 0xff, (adler >>> 8) & 0xff, adler & 0xff);
  return custom('.dep-v0', data);
}

const NINE_FIELDS: MetadataEdit = {
  name: 'foo',
  producers: [
    { field: 'language', name: 'bar', version: '1.0' },
    { field: 'processed-by', name: 'baz', version: '1.0' },
  ],
  authors: 'Chashu Cat',
  description: 'Chashu likes tuna',
  licenses: 'Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT',
  source: 'https://github.com/bytecodealliance/wasm-tools',
  homepage: 'https://github.com/bytecodealliance/wasm-tools',
  revision: 'de978e17a80c1118f606fce919ba9b7d5a04a5ad',
  version: '1.0.0',
};

describe('spec §4.3 and §5 cases', () => {
  it('writes the 84-byte worked example byte for byte', () => {
    const out = edit(module(), {
      name: 'foo',
      producers: [
        { field: 'language', name: 'bar', version: '1' },
        { field: 'processed-by', name: 'baz', version: '1' },
        { field: 'sdk', name: 'my-sdk', version: '2' },
      ],
    });
    const expected = [
      '00 61 73 6d 01 00 00 00',
      '00 0b 04 6e 61 6d 65 00 04 03 66 6f 6f',
      '00 3d 09 70 72 6f 64 75 63 65 72 73 03',
      '08 6c 61 6e 67 75 61 67 65 01 03 62 61 72 01 31',
      '0c 70 72 6f 63 65 73 73 65 64 2d 62 79 01 03 62 61 7a 01 31',
      '03 73 64 6b 01 06 6d 79 2d 73 64 6b 01 32',
    ]
      .join(' ')
      .split(' ')
      .map((h) => parseInt(h, 16));
    expect(Array.from(out)).toEqual(expected);
  });

  const emptyModule = Uint8Array.from(module(depSection()));
  const emptyComponent = Uint8Array.from(component(depSection()));

  it('add_to_empty_module: 455 bytes, in the order of the spec', () => {
    expect(depSection()).toHaveLength(90);
    const out = edit(emptyModule, NINE_FIELDS);
    expect(out.length).toBe(455);
    const tree = readMetadata(out);
    expect(tree).toMatchObject({ ...NINE_FIELDS, producers: tree.producers, range: { start: 0, end: 455 } });
    expect(tree.dependencies?.packages[0]?.name).toBe('adler');
  });

  it('add_to_empty_component: 465 bytes', () => {
    expect(edit(emptyComponent, NINE_FIELDS).length).toBe(465);
  });

  it('add_to_nested_component: the child keeps its range 11..466 and its metadata', () => {
    const child = edit(emptyModule, NINE_FIELDS);
    const outer = Uint8Array.from(component(section(1, Array.from(child))));
    const out = edit(outer, { name: 'gussie', producers: [{ field: 'sdk', name: 'willa', version: 'sparky' }] });
    const tree = readMetadata(out);
    expect(tree.name).toBe('gussie');
    expect(tree.children[0]?.range).toEqual({ start: 11, end: 466 });
    expect(out.subarray(11, 466)).toEqual(child);
  });

  it('add_then_clear_fields: 386 bytes = 465 - 23 - 15 - 51 + 10', () => {
    const full = edit(emptyComponent, NINE_FIELDS);
    const out = edit(full, { name: null, version: null, revision: null, description: 'Chashu likes something else' });
    expect(out.length).toBe(386);
    const tree = readMetadata(out);
    expect(tree).toMatchObject({
      name: null,
      version: null,
      revision: null,
      description: 'Chashu likes something else',
    });
    expect(tree.authors).toBe('Chashu Cat');
  });
});

describe('name editing keeps the other subsections', () => {
  const functionNames = [1, ...leb(4), ...leb(1), ...leb(0), ...[1, 0x66]];

  it('replaces subsection 0 in place', () => {
    const input = module(custom('name', [...nameSubsection('bar'), ...functionNames]));
    const out = edit(input, { name: 'foo' });
    expect(Array.from(out)).toEqual(module(custom('name', [...nameSubsection('foo'), ...functionNames])));
  });

  it('inserts subsection 0 before the others when missing', () => {
    const out = edit(module(custom('name', functionNames)), { name: 'foo' });
    expect(Array.from(out)).toEqual(module(custom('name', [...nameSubsection('foo'), ...functionNames])));
  });

  it('clears only subsection 0, and removes a name section left empty', () => {
    expect(
      Array.from(edit(module(custom('name', [...nameSubsection('bar'), ...functionNames])), { name: null })),
    ).toEqual(module(custom('name', functionNames)));
    expect(Array.from(edit(module(custom('name', nameSubsection('bar'))), { name: null }))).toEqual(module());
  });

  it('removes subsection 0 from earlier name sections when setting', () => {
    const input = component(custom('name', nameSubsection('core')), custom('component-name', nameSubsection('c')));
    const out = edit(input, { name: 'new' });
    expect(Array.from(out)).toEqual(component(custom('component-name', nameSubsection('new'))));
  });

  it('appends a component-name section to a component without one', () => {
    expect(Array.from(edit(component(), { name: 'x' }))).toEqual(
      component(custom('component-name', nameSubsection('x'))),
    );
  });
});
