import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmMetaError } from '../../src/errors.js';
import { type ReadStats, readMetadataFromFile, readMetadataFromFileSync } from '../../src/node/read-file.js';
import { readMetadata } from '../../src/read.js';
import { SHARED_DIR, sharedAvailable } from '../support/shared.js';
import { largeInput } from '../support/large-inputs.js';
import { custom, module } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-read-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('reading files by position', () => {
  it('shows a 50 MB module after reading a few kilobytes', async () => {
    // A 50 MiB code section, then a producers section (language Go go1.26.5) and a name section (big).
    const path = largeInput('code-50mib-named');
    const stats: ReadStats = { fileSize: 0, bytesRead: 0, reads: 0 };
    const tree = readMetadataFromFileSync(path, {}, stats);
    expect(tree.name).toBe('big');
    expect(tree.producers?.get('language')?.get('Go')).toBe('go1.26.5');
    expect(tree.range.end).toBe(stats.fileSize);
    expect(stats.fileSize).toBeGreaterThan(50 * 1024 * 1024);
    expect(stats.bytesRead).toBeLessThanOrEqual(16 * 1024);
    expect(stats.reads).toBeLessThanOrEqual(4);
    expect(await readMetadataFromFile(path)).toEqual(tree);
  });

  it.runIf(sharedAvailable('the corpus file-reading comparison'))(
    'gives the same tree as reading the file into memory, for every corpus file',
    async () => {
      const corpus = join(SHARED_DIR, 'corpus');
      for (const file of readdirSync(corpus).filter((f) => f.endsWith('.wasm'))) {
        const path = join(corpus, file);
        const inMemory = readMetadata(readFileSync(path));
        const stats: ReadStats = { fileSize: 0, bytesRead: 0, reads: 0 };
        expect(readMetadataFromFileSync(path, {}, stats)).toEqual(inMemory);
        expect(await readMetadataFromFile(path)).toEqual(inMemory);
        expect(stats.bytesRead).toBeLessThanOrEqual(stats.fileSize);
      }
    },
  );

  it('reports files that cannot be read as io errors naming the file', async () => {
    const missing = join(scratch, 'missing.wasm');
    expect(() => readMetadataFromFileSync(missing)).toThrow(WasmMetaError);
    await expect(readMetadataFromFile(missing)).rejects.toMatchObject({
      code: 'io',
      message: `${missing}: no such file`,
    });
    await expect(readMetadataFromFile(scratch)).rejects.toMatchObject({ code: 'io' });
    expect(() => readMetadataFromFileSync(scratch)).toThrow(/is a directory/);
  });

  it('reports a truncated file with the byte offset', async () => {
    const path = join(scratch, 'truncated.wasm');
    const fd = openSync(path, 'w');
    writeSync(fd, Uint8Array.from(module(custom('authors', 'someone')).slice(0, -3)));
    closeSync(fd);
    await expect(readMetadataFromFile(path)).rejects.toMatchObject({ code: 'section-overflow', offset: 8 });
    expect(() => readMetadataFromFileSync(path)).toThrow(/runs past the end of its module/);
  });
});
