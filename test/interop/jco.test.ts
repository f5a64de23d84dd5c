import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import type { MetadataEdit } from '../../src/edit/edit.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import type { WasmBinary } from '../../src/metadata.js';
import { readMetadata } from '../../src/read.js';
import { type JcoMetadata, loadJco } from '../support/interop.js';
import { HAS_SHARED, SHARED_DIR } from '../support/shared.js';

const jco = await loadJco();

/** The components to edit: the corpus components and one assembled by jco from text. */
async function components(): Promise<Array<[string, Uint8Array]>> {
  if (jco === undefined) return [];
  const list: Array<[string, Uint8Array]> = [
    ['assembled', await jco.parse('(component $app (core module $m (func $f)) (core module))')],
  ];
  if (HAS_SHARED) {
    const corpus = join(SHARED_DIR, 'corpus');
    for (const file of readdirSync(corpus).filter((f) => f.startsWith('component-'))) {
      list.push([file, new Uint8Array(readFileSync(join(corpus, file)))]);
    }
  } else {
    console.warn(`skipping corpus components in the jco test: ${SHARED_DIR} is absent`);
  }
  return list;
}

const FULL_EDIT: MetadataEdit = {
  name: 'hello',
  producers: [{ field: 'processed-by', name: 'wasm-meta', version: '0.1.0' }],
  authors: 'Ana',
  description: 'Says hello',
  licenses: 'Apache-2.0',
  source: 'https://github.com/acme/hello',
  homepage: 'https://acme.dev/hello',
  revision: 'abc123',
  version: '0.1.0',
  documentation: 'https://docs.acme.dev',
  vendor: 'ACME',
  created: '2026-01-01T00:00:00Z',
};

/** Our tree in jco's flat shape (pre-order; jco lists siblings in the same relative order). */
function shape(root: WasmBinary): Array<{ name: string | null; kind: string; range: [number, number] }> {
  const out: Array<{ name: string | null; kind: string; range: [number, number] }> = [];
  const visit = (b: WasmBinary): void => {
    out.push({ name: b.name, kind: b.kind, range: [b.range.start, b.range.end] });
    b.children.forEach(visit);
  };
  visit(root);
  return out.sort((a, b) => a.range[0] - b.range[0]);
}

function jcoShape(entries: JcoMetadata[]): Array<{ name: string | null; kind: string; range: [number, number] }> {
  return entries
    .map((e) => ({ name: e.name ?? null, kind: e.metaType.tag, range: e.range }))
    .sort((a, b) => a.range[0] - b.range[0]);
}

describe.runIf(jco !== undefined)('jco-transpile reads what wasm-meta writes', async () => {
  const list = await components();

  it.each(list)('%s: jco reads the edited component, with our tree, name and producers', async (_, input) => {
    const jcoTools = jco as NonNullable<typeof jco>;
    for (const edit of [FULL_EDIT, { name: null }, { clearAll: true }] as MetadataEdit[]) {
      const output = joinChunks(applyEdit(input, edit).chunks);
      const shown = await jcoTools.metadataShow(output);
      expect(jcoShape(shown)).toEqual(shape(readMetadata(output)));
      const root = shown.find((e) => e.parentIndex === undefined) as JcoMetadata;
      expect(root.name ?? null).toBe(readMetadata(output).name);
      if (edit === FULL_EDIT) {
        const processedBy = root.producers.find(([field]) => field === 'processed-by')?.[1];
        expect(processedBy).toContainEqual(['wasm-meta', '0.1.0']);
      }
    }
  });

  it.each(list)("%s: a producers-only edit gives the producers of jco's own metadataAdd", async (_, input) => {
    const jcoTools = jco as NonNullable<typeof jco>;
    const theirs = await jcoTools.metadataAdd(input, [
      ['language', [['TypeScript', '']]],
      [
        'processed-by',
        [
          ['peers-corpus', '1.0.0'],
          ['wit-component', '9.9.9'],
        ],
      ],
      ['sdk', [['wasi-sdk', '25']]],
    ]);
    const ours = joinChunks(
      applyEdit(input, {
        producers: [
          { field: 'language', name: 'TypeScript', version: '' },
          { field: 'processed-by', name: 'peers-corpus', version: '1.0.0' },
          { field: 'processed-by', name: 'wit-component', version: '9.9.9' },
          { field: 'sdk', name: 'wasi-sdk', version: '25' },
        ],
      }).chunks,
    );
    const producersOf = async (bytes: Uint8Array) =>
      (await jcoTools.metadataShow(bytes)).map((e) => [e.range[0] === 0 ? 'root' : e.range[0], e.producers]);
    expect(await producersOf(ours)).toEqual(await producersOf(theirs));
  });
});
