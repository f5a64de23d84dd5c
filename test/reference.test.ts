import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderShowJson } from '../src/format/show-json.js';
import { renderShowTables } from '../src/format/show-table.js';
import { readMetadata } from '../src/read.js';
import { SHARED_DIR, sharedAvailable } from './support/shared.js';

const reference = (name: string) => join(SHARED_DIR, 'reference', name);

/** wasm-tools' JSON keys; wasm-meta's additions removed. */
const REFERENCE_KEYS = [
  'name',
  'producers',
  'authors',
  'description',
  'licenses',
  'source',
  'homepage',
  'revision',
  'version',
  'range',
  'dependencies',
];

function withoutAdditions(node: unknown): unknown {
  const tagged = node as {
    module?: Record<string, unknown>;
    component?: { metadata: Record<string, unknown>; children: unknown[] };
  };
  const pick = (m: Record<string, unknown>) => Object.fromEntries(REFERENCE_KEYS.map((k) => [k, m[k]]));
  if (tagged.module) return { module: pick(tagged.module) };
  const c = tagged.component as { metadata: Record<string, unknown>; children: unknown[] };
  return { component: { metadata: pick(c.metadata), children: c.children.map(withoutAdditions) } };
}

describe.runIf(sharedAvailable('the wasm-tools reference cases'))('wasm-tools reference cases (show)', () => {
  it.each(['metadata', 'metadata-component'])('%s: the table output is byte for byte the reference output', (name) => {
    const tree = readMetadata(readFileSync(reference(`${name}.wasm`)));
    expect(renderShowTables(tree)).toBe(readFileSync(reference(`${name}.wat.stdout`), 'utf8'));
  });

  it('metadata-component: the JSON has the ranges 0..136, 10..37 and 39..74 and the reference keys in order', () => {
    const json = renderShowJson(readMetadata(readFileSync(reference('metadata-component.wasm'))));
    expect(json.endsWith('\n')).toBe(false);
    const parsed = JSON.parse(json);
    expect(parsed.component.metadata.range).toEqual({ start: 0, end: 136 });
    expect(parsed.component.children.map((c: { module: { range: unknown } }) => c.module.range)).toEqual([
      { start: 10, end: 37 },
      { start: 39, end: 74 },
    ]);
    expect(Object.keys(parsed.component.metadata).slice(0, REFERENCE_KEYS.length)).toEqual(REFERENCE_KEYS);
    // The reference's example output (wasm-tools metadata show --help), pretty-printed there.
    expect(JSON.stringify(withoutAdditions(parsed))).toBe(
      '{"component":{"metadata":{"name":"my-name","producers":null,"authors":null,"description":null,"licenses":null,"source":null,"homepage":null,"revision":null,"version":null,"range":{"start":0,"end":136},"dependencies":null},"children":[' +
        '{"module":{"name":"submodule","producers":null,"authors":null,"description":null,"licenses":null,"source":null,"homepage":null,"revision":null,"version":null,"range":{"start":10,"end":37},"dependencies":null}},' +
        '{"module":{"name":"another submodule","producers":null,"authors":null,"description":null,"licenses":null,"source":null,"homepage":null,"revision":null,"version":null,"range":{"start":39,"end":74},"dependencies":null}}]}}',
    );
  });

  it('reads the inputs of the add cases as wasm-tools does', () => {
    const overwrite = readMetadata(readFileSync(reference('add-metadata-overwrite-name.wasm')));
    expect(overwrite.name).toBe('bar');
    const addComponent = readMetadata(readFileSync(reference('metadata-add-component.wasm')));
    expect(addComponent.name).toBe('foo');
    expect(addComponent.children.map((c) => [c.kind, c.name, c.range])).toEqual([
      ['module', null, { start: 10, end: 49 }],
    ]);
  });
});
