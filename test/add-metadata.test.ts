import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMetadataToBytes } from '../src/add-metadata.js';
import { WasmMetaError } from '../src/errors.js';
import type { PackageManifestKind } from '../src/package-manifest/kinds.js';
import { readMetadata } from '../src/read.js';
import { VERSION } from '../src/version.js';
import { REPO_ROOT } from './support/shared.js';
import { sectionsOf } from './support/wasm.js';

const EXAMPLE = new Uint8Array(readFileSync(join(REPO_ROOT, 'examples', 'hello.wasm')));
const manifest = (path: string) => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'manifests', path), 'utf8');

/** The outermost binary's sections as name (or id) and bytes, parsed by the test support, not the code under test. */
const sections = (bytes: Uint8Array) =>
  sectionsOf(bytes).map((s) => ({ name: s.name ?? `#${s.id}`, sha256: sha256(bytes.subarray(s.start, s.end)) }));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The sections a stamp may touch: the name, producers and the text fields' sections. */
const METADATA_SECTIONS = new Set(
  'name component-name producers authors description licenses source homepage revision version documentation vendor created'.split(
    ' ',
  ),
);

const CASES: Array<{ file: string; kind: PackageManifestKind; expected: Record<string, string>; git: boolean }> = [
  {
    file: 'npm-spec-example/package.json',
    kind: 'package.json',
    expected: {
      name: '@acme/hello',
      version: '1.2.0',
      licenses: 'MIT OR Apache-2.0',
      source: 'https://github.com/acme/hello',
      revision: '0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2ff',
    },
    git: false,
  },
  {
    file: 'cargo-simple/Cargo.toml',
    kind: 'Cargo.toml',
    expected: { name: 'simple', version: '0.0.0', authors: 'Ada <ada@example.com>,Bo', licenses: 'MIT OR Apache-2.0' },
    git: true,
  },
  {
    file: 'pyproject-spec/pyproject.toml',
    kind: 'pyproject.toml',
    expected: {
      name: 'hello-wasm',
      version: '0.4.0',
      licenses: 'MIT',
      source: 'https://github.com/acme/hello',
      documentation: 'https://hello.example/docs',
    },
    git: true,
  },
  {
    file: 'wkg-spec/wkg.toml',
    kind: 'wkg.toml',
    expected: { authors: 'WasmPkg', licenses: 'Apache-2.0', source: 'https://github.com/acme/wit', revision: 'f00ba4' },
    git: false,
  },
];

describe('addMetadataToBytes', () => {
  it.each(CASES)(
    'stamps the example component from $kind text, leaving every other section as it was',
    ({ file, kind, expected, git }) => {
      const before = readMetadata(EXAMPLE);
      const result = addMetadataToBytes(EXAMPLE, { from: { text: manifest(file), file } });
      expect(result.changed).toBe(true);
      const after = readMetadata(result.bytes);
      expect(after).toMatchObject(expected);
      for (const [field, value] of Object.entries(expected))
        expect(before[field as keyof typeof before]).not.toBe(value);
      expect(after.producers?.get('processed-by')?.get('wasm-meta')).toBe(VERSION);
      expect(result.warnings).toEqual([]);
      expect(result.notes).toEqual(
        git ? [`revision not written: ${file} has none, and addMetadataToBytes reads no git (give edit.revision)`] : [],
      );
      // Everything else is byte for byte the input's, in the input's order.
      const untouched = (bytes: Uint8Array) => sections(bytes).filter((s) => !METADATA_SECTIONS.has(s.name));
      expect(untouched(result.bytes)).toEqual(untouched(EXAMPLE));
      expect(untouched(EXAMPLE).length).toBeGreaterThan(5);
      // The kind can be given instead of a file name.
      expect(sha256(addMetadataToBytes(EXAMPLE, { from: { text: manifest(file), kind } }).bytes)).toBe(
        sha256(result.bytes),
      );
    },
  );

  it('lets explicit values win, without reading the manifest keys they replace', () => {
    // license "MIT/Apache-2.0" (Cargo's old list form) is no SPDX expression: an error, unless
    // licenses is given.
    const text = manifest('cargo-bad-license/Cargo.toml');
    expect(() => addMetadataToBytes(EXAMPLE, { from: { text, file: 'Cargo.toml' } })).toThrow(
      /^Cargo\.toml: package\.license: "MIT\/Apache-2\.0" is not an SPDX licence expression/,
    );
    const result = addMetadataToBytes(EXAMPLE, {
      from: { text, file: 'Cargo.toml' },
      edit: { licenses: 'Apache-2.0', version: '9.9.9', revision: 'abc123' },
    });
    expect(readMetadata(result.bytes)).toMatchObject({
      name: 'bad',
      licenses: 'Apache-2.0',
      version: '9.9.9',
      revision: 'abc123',
    });
    expect(result.notes).toEqual([]);
  });

  it('returns the input itself when nothing changes', () => {
    const once = addMetadataToBytes(EXAMPLE, { from: { text: manifest('wkg-spec/wkg.toml'), kind: 'wkg.toml' } });
    const twice = addMetadataToBytes(once.bytes, { from: { text: manifest('wkg-spec/wkg.toml'), kind: 'wkg.toml' } });
    expect(twice.changed).toBe(false);
    expect(twice.bytes).toBe(once.bytes);
    expect(addMetadataToBytes(EXAMPLE).bytes).toBe(EXAMPLE);
  });

  it('corrects a licence id npm would correct, with a warning naming both', () => {
    const text = manifest('npm-deprecated-license/package.json');
    const result = addMetadataToBytes(EXAMPLE, { from: { text, file: 'package.json' } });
    expect(readMetadata(result.bytes).licenses).toBe('GPL-2.0-only');
    expect(result.warnings).toEqual([expect.stringMatching(/"GPL-2\.0" corrected to "GPL-2\.0-only"/)]);
  });

  it('takes explicit values alone', () => {
    const result = addMetadataToBytes(EXAMPLE, { edit: { vendor: 'ACME', licenses: 'MIT' } });
    expect(readMetadata(result.bytes)).toMatchObject({ vendor: 'ACME', licenses: 'MIT' });
    expect(() => addMetadataToBytes(EXAMPLE, { edit: { licenses: 'MIT/Apache-2.0' } })).toThrow(WasmMetaError);
  });

  it('names the manifest in errors: unknown kind, bad syntax', () => {
    const error = (from: { text: string; file?: string; kind?: PackageManifestKind }) => {
      try {
        addMetadataToBytes(EXAMPLE, { from });
      } catch (caught) {
        return caught as WasmMetaError;
      }
      throw new Error('expected an error');
    };
    expect(error({ text: '{}' }).message).toMatch(
      /^\(package manifest\): \(file name\): cannot tell the manifest kind/,
    );
    expect(error({ text: '{}', file: 'meta.json' }).message).toMatch(/^meta\.json: \(file name\): cannot tell/);
    expect(error({ text: '{', file: 'app/package.json' })).toMatchObject({ code: 'invalid-package-manifest' });
    expect(error({ text: '{', file: 'app/package.json' }).message).toMatch(
      /^app\/package\.json: \(file\): not valid JSON/,
    );
    expect(error({ text: '[package\nname = 1', kind: 'Cargo.toml' }).message).toMatch(
      /^Cargo\.toml: \(file\): not valid TOML: line 1, column/,
    );
  });
});
