import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import type { MetadataEdit } from '../../src/edit/edit.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { readMetadata } from '../../src/read.js';
import { hasWasmValidate, wasmValidate } from '../support/interop.js';
import { HAS_SHARED, SHARED_DIR } from '../support/shared.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-validate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const EDITS: Record<string, MetadataEdit> = {
  'every field': {
    name: 'renamed',
    producers: [
      { field: 'language', name: 'TypeScript', version: '' },
      { field: 'processed-by', name: 'wasm-meta', version: '0.1.0' },
    ],
    authors: 'Ana, Ben',
    description: 'A module',
    licenses: 'Apache-2.0 WITH LLVM-exception OR MIT',
    source: 'https://github.com/acme/app',
    homepage: 'https://acme.dev',
    revision: 'de978e17a80c1118f606fce919ba9b7d5a04a5ad',
    version: '1.2.3',
    documentation: 'https://docs.acme.dev',
    vendor: 'ACME',
    created: '2026-01-01T00:00:00Z',
  },
  'clear the name': { name: null },
  'clear all': { clearAll: true },
  'producers only': { producers: [{ field: 'sdk', name: 'wasi-sdk', version: '25' }] },
};

/** Hand-made modules wabt must accept: empty, with a name section holding function names. */
const HAND_MADE: Record<string, Uint8Array> = {
  empty: Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
  'function names': Uint8Array.from([
    0,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    1,
    4,
    1,
    0x60,
    0,
    0, // type: () -> ()
    3,
    2,
    1,
    0, // function 0 of type 0
    10,
    4,
    1,
    2,
    0,
    0x0b, // code: empty body
    0,
    11,
    4,
    0x6e,
    0x61,
    0x6d,
    0x65,
    1,
    4,
    1,
    0,
    1,
    0x66, // name: function 0 is "f"
  ]),
};

describe.runIf(hasWasmValidate())('edited core modules pass wasm-validate (wabt)', () => {
  const inputs: Array<[string, Uint8Array]> = Object.entries(HAND_MADE);
  if (HAS_SHARED) {
    const corpus = join(SHARED_DIR, 'corpus');
    for (const file of readdirSync(corpus).filter((f) => f.startsWith('module-'))) {
      inputs.push([file, new Uint8Array(readFileSync(join(corpus, file)))]);
    }
  } else {
    console.warn(`skipping corpus modules in the wasm-validate test: ${SHARED_DIR} is absent`);
  }

  // One test for each input as given and after each edit: wabt takes seconds on the largest
  // corpus module, and each check stands on its own.
  type Case = [name: string, label: string, input: Uint8Array, edit: MetadataEdit | undefined];
  const cases = inputs.flatMap(([name, input]): Case[] => [
    [name, 'as given', input, undefined],
    ...Object.entries(EDITS).map(([label, edit]): Case => [name, label, input, edit]),
  ]);

  it.each(cases)('%s: %s', async (name, label, input, edit) => {
    if (edit === undefined) {
      const original = join(scratch, `${name}.wasm`);
      writeFileSync(original, input);
      expect((await wasmValidate(original)).ok).toBe(true);
      return;
    }
    const output = joinChunks(applyEdit(input, edit).chunks);
    const path = join(scratch, `${name}.${label}.wasm`);
    writeFileSync(path, output);
    const result = await wasmValidate(path);
    expect(result.output, `${name} after "${label}"`).toBe('');
    expect(result.ok).toBe(true);
    if (edit.name !== undefined) expect(readMetadata(output).name).toBe(edit.name);
  });
});
