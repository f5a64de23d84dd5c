import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmMetaError } from '../../src/errors.js';
import { addMetadataToFile } from '../../src/node/add-metadata.js';
import { readMetadata } from '../../src/read.js';
import { VERSION } from '../../src/version.js';
import { REPO_ROOT } from '../support/shared.js';
import { module } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-stamp-'));
cpSync(join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'npm-spec-example'), scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('addMetadataToFile', () => {
  it('stamps a file in place from package.json, explicit values winning', async () => {
    const path = join(scratch, 'app.wasm');
    writeFileSync(path, Uint8Array.from(module()));
    chmodSync(path, 0o600);
    const result = await addMetadataToFile(path, {
      from: join(scratch, 'package.json'),
      edit: { version: '2.0.0', vendor: 'ACME' },
    });
    expect(result).toMatchObject({ changed: true, written: true, warnings: [], notes: [], migration: [] });
    for (const change of [
      { kind: 'field', field: 'name', before: null, after: '@acme/hello', duplicatesRemoved: 0 },
      { kind: 'producer', field: 'processed-by', name: 'wasm-meta', before: null, after: VERSION },
      { kind: 'field', field: 'licenses', before: null, after: 'MIT OR Apache-2.0', duplicatesRemoved: 0 },
      { kind: 'field', field: 'version', before: null, after: '2.0.0', duplicatesRemoved: 0 },
      { kind: 'field', field: 'vendor', before: null, after: 'ACME', duplicatesRemoved: 0 },
    ]) {
      expect(result.changes).toContainEqual(change);
    }
    expect(readMetadata(readFileSync(path))).toMatchObject({
      name: '@acme/hello',
      version: '2.0.0',
      vendor: 'ACME',
      licenses: 'MIT OR Apache-2.0',
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const before = statSync(path);
    const again = await addMetadataToFile(path, {
      from: join(scratch, 'package.json'),
      edit: { version: '2.0.0', vendor: 'ACME' },
    });
    expect(again).toMatchObject({ changed: false, written: false });
    expect(again.changes.every((change) => change.kind !== 'field' || change.before === change.after)).toBe(true);
    expect(again.changes).toContainEqual({
      kind: 'producer',
      field: 'processed-by',
      name: 'wasm-meta',
      before: VERSION,
      after: VERSION,
    });
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
  });

  it('works out the changes of a dry run and writes nothing, in place or to another file', async () => {
    const path = join(scratch, 'dry.wasm');
    writeFileSync(path, Uint8Array.from(module()));
    const before = statSync(path);
    for (const output of [undefined, join(scratch, 'dry-out.wasm')]) {
      const result = await addMetadataToFile(path, { edit: { licenses: 'MIT' }, dryRun: true, output });
      expect(result).toMatchObject({ changed: true, written: false });
      expect(result.changes).toEqual([
        { kind: 'field', field: 'licenses', before: null, after: 'MIT', duplicatesRemoved: 0 },
      ]);
    }
    expect(readFileSync(path)).toEqual(Buffer.from(module()));
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(scratch).filter((name) => name.startsWith('dry'))).toEqual(['dry.wasm']);
  });

  it('writes to another file when asked, and throws before writing on bad values', async () => {
    const path = join(scratch, 'in.wasm');
    writeFileSync(path, Uint8Array.from(module()));
    await addMetadataToFile(path, { edit: { licenses: 'MIT' }, output: join(scratch, 'out.wasm') });
    expect(readMetadata(readFileSync(join(scratch, 'out.wasm'))).licenses).toBe('MIT');
    expect(readFileSync(path)).toEqual(Buffer.from(module()));
    await expect(addMetadataToFile(path, { edit: { source: 'relative/path' } })).rejects.toBeInstanceOf(WasmMetaError);
    expect(readFileSync(path)).toEqual(Buffer.from(module()));
  });
});
