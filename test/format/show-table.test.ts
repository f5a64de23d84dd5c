import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { showTreeOf } from '../../src/format/show-model.js';
import { renderShowTables, showTableBytes } from '../../src/format/show-table.js';
import { readMetadata } from '../../src/read.js';
import { renderShowTables as renderInMemory } from '../support/oracle/show-table.js';
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
