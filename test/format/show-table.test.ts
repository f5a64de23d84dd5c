import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runOnBytes } from '../../src/binary/byte-source.js';
import { keepCells, keepJsonBytes, readKeeping } from '../../src/cli/show-reader.js';
import { showTreeOf } from '../../src/format/show-model.js';
import { renderShowJson } from '../../src/format/show-json.js';
import { diagnosticsOf } from '../../src/metadata.js';
import { renderShowTables, showTableBytes } from '../../src/format/show-table.js';
import { readMetadata } from '../../src/read.js';
import { renderShowTables as renderInMemory } from '../support/oracle/show-table.js';
import { SHARED_DIR, sharedAvailable } from '../support/shared.js';
import {
  COMPONENT_HEADER,
  MODULE_HEADER,
  bytes,
  custom,
  nameSubsection,
  nested,
  producersData,
} from '../support/wasm.js';

/** A component of `count` small modules, each with a producers section (the bench's shape). */
function manyModules(count: number): Uint8Array {
  const child = nested([...MODULE_HEADER, ...custom('producers', producersData([['language', [['C11', '']]]]))]);
  const out = [...COMPONENT_HEADER];
  for (let i = 0; i < count; i++) out.push(...child);
  out.push(...custom('producers', producersData([['language', [['TypeScript', '']]]])));
  return bytes(out);
}

// Words that exercise the layout: long words that must be broken, wide and combining characters,
// line breaks, and terminal escapes that are shown escaped.
const word = fc.oneof(
  fc.stringMatching(/^[a-z0-9.:/-]{1,12}$/),
  fc.stringMatching(/^[a-f0-9]{30,90}$/),
  fc.constantFrom('日本語', 'e\u0301', '👩‍👩‍👧', 'tab\there', 'line\nbreak', '\u001b[31mred'),
);
const text = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));
const producers = fc.array(
  fc.tuple(fc.constantFrom('language', 'processed-by', 'sdk'), fc.array(fc.tuple(text, text), { maxLength: 3 })),
  { maxLength: 3 },
);

interface Node {
  component: boolean;
  name: string | null;
  description: string | null;
  producers: [string, [string, string][]][];
  children: Node[];
}

const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.record({
    component: fc.boolean(),
    name: fc.option(text),
    description: fc.option(text),
    producers,
    children: fc.oneof({ depthSize: 'small' }, fc.constant<Node[]>([]), fc.array(tie('node'), { maxLength: 3 })),
  }),
})).node;

/** The bytes of a generated tree; a module's children are dropped (modules nest nothing). */
function encode(node: Node): number[] {
  const sections: number[] = [];
  if (node.component) for (const child of node.children) sections.push(...nested(encode(child)));
  if (node.name !== null)
    sections.push(...custom(node.component ? 'component-name' : 'name', nameSubsection(node.name)));
  if (node.description !== null) sections.push(...custom('description', node.description));
  // The producers section allows each field once.
  const fields = new Map(node.producers);
  if (fields.size > 0) sections.push(...custom('producers', producersData([...fields])));
  return [...(node.component ? COMPONENT_HEADER : MODULE_HEADER), ...sections];
}

describe('show tables, streamed', () => {
  it('equal the in-memory rendering on random trees, with and without paths', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (node, paths) => {
        const metadata = readMetadata(bytes(encode({ ...node, component: true })));
        expect(renderShowTables(metadata, { paths })).toBe(renderInMemory(metadata, { paths }));
      }),
      { seed: 15, numRuns: 150 },
    );
  });

  it('equal the in-memory rendering on a component of 10 000 modules, in batches of about 64 KiB', () => {
    const metadata = readMetadata(manyModules(10_000));
    const decoder = new TextDecoder();
    let streamed = '';
    let largest = 0;
    let batches = 0;
    for (const batch of showTableBytes(showTreeOf(metadata))) {
      streamed += decoder.decode(batch, { stream: true });
      largest = Math.max(largest, batch.length);
      batches++;
    }
    const whole = renderInMemory(metadata);
    expect(streamed).toBe(whole);
    // 11 MB of tables; no batch holds more than 64 KiB and a row.
    expect(Buffer.byteLength(whole)).toBeGreaterThan(11_000_000);
    expect(largest).toBeLessThan(64 * 1024 + 1024);
    expect(batches).toBeGreaterThan(150);
  });
});

describe("show's own reading, which keeps of each binary only what it prints", () => {
  const keptTables = (file: Uint8Array, paths: boolean): { text: string; diagnostics: unknown } => {
    const { root, diagnostics } = runOnBytes(readKeeping(file.length, {}, keepCells()), file);
    const decoder = new TextDecoder();
    let text = '';
    for (const batch of showTableBytes(root, { paths })) text += decoder.decode(batch, { stream: true });
    return { text: text + decoder.decode(), diagnostics };
  };
  const keptJson = (file: Uint8Array): string => {
    const { keep, json } = keepJsonBytes();
    runOnBytes(readKeeping(file.length, {}, keep), file);
    return new TextDecoder().decode(json());
  };

  it('gives the tables, the diagnostics and the JSON of the whole tree, on random trees', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (node, paths) => {
        const file = bytes(encode({ ...node, component: true }));
        const metadata = readMetadata(file);
        const kept = keptTables(file, paths);
        expect(kept.text).toBe(renderInMemory(metadata, { paths }));
        expect(kept.diagnostics).toEqual(diagnosticsOf(metadata));
        expect(keptJson(file)).toBe(renderShowJson(metadata));
      }),
      { seed: 15, numRuns: 150 },
    );
  });

  it('keeps diagnostics in file order, from binaries at every depth', () => {
    // An invalid licence in the outermost component after its child, and one in the child.
    const child = nested([...MODULE_HEADER, ...custom('licenses', 'not a licence (')]);
    const file = bytes([...COMPONENT_HEADER, ...child, ...custom('licenses', 'MIT/')]);
    const { diagnostics } = runOnBytes(readKeeping(file.length, {}, keepCells()), file);
    expect(diagnostics).toEqual(diagnosticsOf(readMetadata(file)));
    expect(diagnostics.map((d) => d.section)).toEqual(['licenses', 'licenses']);
    expect(diagnostics[0]!.offset).toBeLessThan(diagnostics[1]!.offset);
  });

  it('takes the legacy author as the authors of a binary without an authors section, at any depth', () => {
    const child = nested([...MODULE_HEADER, ...custom('author', 'Child Author')]);
    const file = bytes([...COMPONENT_HEADER, ...child, ...custom('author', 'Root Author')]);
    const metadata = readMetadata(file);
    expect(metadata.authors).toBe('Root Author');
    expect(keptJson(file)).toBe(renderShowJson(metadata));
    const { text } = keptTables(file, false);
    expect(text).toBe(renderInMemory(metadata));
    expect(text).toContain('Root Author');
    expect(text).toContain('Child Author');
  });

  it('gives the JSON of components nested in components', () => {
    const module = nested([...MODULE_HEADER, ...custom('producers', producersData([['language', [['C11', '']]]]))]);
    const inner = [...COMPONENT_HEADER, ...module, ...module, ...custom('component-name', nameSubsection('inner'))];
    const file = bytes([...COMPONENT_HEADER, ...module, ...nested(inner), ...nested(inner), ...module]);
    expect(keptJson(file)).toBe(renderShowJson(readMetadata(file)));
    expect(JSON.parse(keptJson(file)).component.children[2].component.children[1].module.nested).toBe('2.1');
  });

  it.runIf(sharedAvailable('the corpus comparison of show'))(
    'equals the in-memory rendering on every corpus file',
    () => {
      const corpus = join(SHARED_DIR, 'corpus');
      for (const name of readdirSync(corpus).filter((f) => f.endsWith('.wasm'))) {
        const file = new Uint8Array(readFileSync(join(corpus, name)));
        const metadata = readMetadata(file);
        for (const paths of [false, true])
          expect(keptTables(file, paths).text, name).toBe(renderInMemory(metadata, { paths }));
        expect(keptJson(file), name).toBe(renderShowJson(metadata));
      }
    },
  );
});
