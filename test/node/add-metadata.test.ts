import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmMetaError } from '../../src/errors.js';
import { addMetadataToFile } from '../../src/node/add-metadata.js';
import { readMetadata } from '../../src/read.js';
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
    expect(result).toEqual({ changed: true, warnings: [], notes: [], migration: [] });
    expect(readMetadata(readFileSync(path))).toMatchObject({
      name: '@acme/hello',
      version: '2.0.0',
      vendor: 'ACME',
      licenses: 'MIT OR Apache-2.0',
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const before = statSync(path);
    expect(
      (
        await addMetadataToFile(path, {
          from: join(scratch, 'package.json'),
          edit: { version: '2.0.0', vendor: 'ACME' },
        })
      ).changed,
    ).toBe(false);
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
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
