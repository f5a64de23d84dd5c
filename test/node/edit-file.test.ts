import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import type { MetadataEdit } from '../../src/edit/edit.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { WasmMetaError } from '../../src/errors.js';
import { addPreparedEditToFile } from '../../src/node/add-metadata.js';
import { planFileEdit, unchangedPrefix } from '../../src/node/edit-file.js';
import { binary, edit } from '../support/edit-arbitraries.js';
import { HAS_SHARED, SHARED_DIR, sharedAvailable } from '../support/shared.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-edit-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An edit with the options the generator leaves out: strict reading, migration, a nested target. */
const fileEdit = fc.record({
  edit,
  strict: fc.boolean(),
  migrateLegacy: fc.boolean(),
  nested: fc.constantFrom(undefined, [0], [1, 0]),
});

/** What `applyEdit` on the whole input gives: the bytes, or the code of the error it throws. */
function inMemory(input: Uint8Array, e: MetadataEdit, strict: boolean): Uint8Array | string {
  try {
    return joinChunks(applyEdit(input, e, { strict }).chunks);
  } catch (error) {
    if (error instanceof WasmMetaError) return error.code;
    throw error;
  }
}

async function onFile(run: () => Promise<unknown>, path: string): Promise<Uint8Array | string> {
  try {
    await run();
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    if (error instanceof WasmMetaError) return error.code;
    throw error;
  }
}

describe('editing a file by positional reads', () => {
  it('writes exactly what applyEdit gives in memory, to another file and in place, by kernel copy and by stream', async () => {
    const paths = { kernel: 0, stream: 0 };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(binary, fileEdit, async (input, { edit: base, strict, migrateLegacy, nested }) => {
        const e: MetadataEdit = { ...base, ...(migrateLegacy ? { migrateLegacy } : {}), ...(nested ? { nested } : {}) };
        const expected = inMemory(input, e, strict);
        const source = join(scratch, `in-${run}.wasm`);
        const output = join(scratch, `out-${run}.wasm`);
        const inPlace = join(scratch, `in-place-${run++}.wasm`);
        writeFileSync(source, input);
        copyFileSync(source, inPlace);
        const prepared = { edit: e, warnings: [], notes: [] };
        const toOutput = await onFile(() => addPreparedEditToFile(source, prepared, { output, strict }), output);
        const edited = await onFile(() => addPreparedEditToFile(inPlace, prepared, { strict }), inPlace);
        if (typeof expected === 'string') {
          expect(toOutput).toBe(expected);
          expect(edited).toBe(expected);
          expect(existsSync(output)).toBe(false);
          expect(readFileSync(inPlace)).toEqual(Buffer.from(input));
          return;
        }
        expect(toOutput).toEqual(expected);
        expect(edited).toEqual(expected);
        expect(readFileSync(source)).toEqual(Buffer.from(input));
        const plan = await planFileEdit(source, e, { strict });
        if (unchangedPrefix(plan.pieces) >= input.length / 2) paths.kernel++;
        else paths.stream++;
      }),
      { seed: 6, numRuns: 300 },
    );
    // Both ways of writing were exercised.
    expect(paths.kernel).toBeGreaterThan(20);
    expect(paths.stream).toBeGreaterThan(20);
  });

  it('describes unchanged input as ranges of the file, and only new bytes as bytes', async () => {
    const input = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 3, 0, 0, 0, 10, 4, 0, 0, 0, 0]);
    const path = join(scratch, 'ranges.wasm');
    writeFileSync(path, input);
    const plan = await planFileEdit(path, { authors: 'x' });
    expect(plan.pieces[0]).toEqual({ start: 0, end: input.length });
    expect(unchangedPrefix(plan.pieces)).toBe(input.length);
    expect(plan.pieces.slice(1).every((piece) => piece instanceof Uint8Array)).toBe(true);
  });
});

describe.runIf(sharedAvailable('the corpus file edits'))('editing corpus files by positional reads', () => {
  const corpus = join(SHARED_DIR, 'corpus');
  const files = HAS_SHARED ? readdirSync(corpus).filter((f) => f.endsWith('.wasm')) : [];

  it.each(files)('%s', async (file) => {
    const input = new Uint8Array(readFileSync(join(corpus, file)));
    const e: MetadataEdit = { source: 'https://example.com/x', producers: [{ field: 'sdk', name: 'a', version: '1' }] };
    const output = join(scratch, `corpus-${file}`);
    await addPreparedEditToFile(join(corpus, file), { edit: e, warnings: [], notes: [] }, { output });
    // Buffer.equals: a deep toEqual of megabytes takes minutes.
    expect(readFileSync(output).equals(inMemory(input, e, false) as Uint8Array)).toBe(true);
  });
});
