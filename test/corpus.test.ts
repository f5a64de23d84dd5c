import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WasmBinary } from '../src/metadata.js';
import { readMetadata } from '../src/read.js';
import { HAS_SHARED, SHARED_DIR, sharedAvailable } from './support/shared.js';

/** One entry of `jco metadata-show --json`: a flat list in which children point at their parent. */
interface JcoEntry {
  name?: string;
  parentIndex?: number;
  metaType: { tag: 'module' | 'component'; val?: number };
  range: [number, number];
  producers: Array<[string, Array<[string, string]>]>;
}

interface Node {
  kind: string;
  name: string | null;
  range: [number, number];
  producers: Array<[string, Array<[string, string]>]>;
  children: Node[];
}

/** Builds jco's tree; siblings keep the order in which jco lists them. */
function jcoTree(entries: JcoEntry[]): Node {
  const nodes: Node[] = entries.map((e) => ({
    kind: e.metaType.tag,
    name: e.name ?? null,
    range: e.range,
    producers: e.producers,
    children: [],
  }));
  entries.forEach((e, i) => {
    if (e.parentIndex !== undefined) nodes[e.parentIndex]?.children.push(nodes[i] as Node);
  });
  entries.forEach((e, i) => {
    if (e.metaType.tag === 'component') expect(nodes[i]?.children.length).toBe(e.metaType.val);
  });
  return nodes[0] as Node;
}

function ourTree(binary: WasmBinary): Node {
  return {
    kind: binary.kind,
    name: binary.name,
    range: [binary.range.start, binary.range.end],
    // jco prints a missing producers section as an empty list
    producers: Array.from(binary.producers ?? [], ([field, values]) => [field, Array.from(values)]),
    children: binary.children.map(ourTree),
  };
}

const corpus = join(SHARED_DIR, 'corpus');
const files = HAS_SHARED
  ? readdirSync(corpus)
      .filter((f) => f.endsWith('.wasm'))
      .sort()
  : [];

describe.runIf(sharedAvailable('the corpus tests'))('corpus: agreement with jco metadata-show', () => {
  it('has the eight corpus files', () => {
    expect(files).toHaveLength(8);
  });

  it.each(files)('%s: tree, kinds, ranges, names and producers', (file) => {
    const expected = JSON.parse(
      readFileSync(join(corpus, 'expected', `${file}.jco-metadata-show.json`), 'utf8'),
    ) as JcoEntry[];
    const tree = readMetadata(readFileSync(join(corpus, file)));
    expect(ourTree(tree)).toEqual(jcoTree(expected));
    expect(tree.diagnostics).toEqual([]);
  });
});
