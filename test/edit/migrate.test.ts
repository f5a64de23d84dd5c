import { describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { WasmMetaError } from '../../src/errors.js';
import { readMetadata } from '../../src/read.js';
import { custom, module } from '../support/wasm.js';

const REGISTRY = JSON.stringify({
  authors: ['Ana <ana@example.com>', 'Ben'],
  description: 'A *markdown* description',
  license: 'Apache-2.0 WITH LLVM-exception',
  custom_licenses: [{ id: 'LicenseRef-x', name: 'X', text: 'text' }],
  links: [
    { ty: 'Homepage', value: 'https://example.com' },
    { ty: 'Repository', value: 'https://github.com/acme/app' },
    { ty: 'Documentation', value: 'https://docs.example.com/' },
    { ty: 'Funding', value: 'https://fund.example.com/' },
    { ty: 'Homepage', value: 'https://second.example.com/' },
  ],
  categories: ['wasm'],
});

const migrate = (input: number[], edit = {}) => applyEdit(Uint8Array.from(input), { migrateLegacy: true, ...edit });

describe('migrating legacy metadata', () => {
  it('moves registry-metadata into per-field sections and removes it', () => {
    const result = migrate(module(custom('registry-metadata', REGISTRY)));
    const tree = readMetadata(joinChunks(result.chunks));
    expect(tree).toMatchObject({
      authors: 'Ana <ana@example.com>, Ben',
      description: 'A *markdown* description',
      licenses: 'Apache-2.0 WITH LLVM-exception',
      homepage: 'https://example.com/',
      source: 'https://github.com/acme/app',
      documentation: 'https://docs.example.com/',
      legacy: null,
    });
    expect(result.migration).toEqual([
      'authors: set to "Ana <ana@example.com>, Ben" (from registry-metadata)',
      'description: set to "A *markdown* description" (from registry-metadata)',
      'licenses: set to "Apache-2.0 WITH LLVM-exception" (from registry-metadata)',
      'homepage: set to "https://example.com/" (from registry-metadata link Homepage)',
      'source: set to "https://github.com/acme/app" (from registry-metadata link Repository)',
      'documentation: set to "https://docs.example.com/" (from registry-metadata link Documentation)',
      'dropped: registry-metadata link Funding "https://fund.example.com/" (no per-field section)',
      'dropped: registry-metadata link Homepage "https://second.example.com/" (no per-field section)',
      'dropped: registry-metadata custom_licenses, categories (no per-field section)',
      expect.stringMatching(/^removed: the registry-metadata section \(\d+ bytes at 0x8\)$/),
    ]);
  });

  it('moves the legacy author section to authors', () => {
    const result = migrate(module(custom('author', 'Old Name'), custom('description', 'kept')));
    expect(Array.from(joinChunks(result.chunks))).toEqual(
      module(custom('description', 'kept'), custom('authors', 'Old Name')),
    );
  });

  it('lets existing sections and explicit values win', () => {
    const input = module(custom('licenses', 'MIT'), custom('registry-metadata', REGISTRY), custom('author', 'Cy'));
    const result = migrate(input, { description: 'explicit' });
    const tree = readMetadata(joinChunks(result.chunks));
    expect(tree).toMatchObject({ licenses: 'MIT', description: 'explicit', authors: 'Cy' });
    expect(result.migration).toContain(
      'licenses: kept the existing section (registry-metadata had "Apache-2.0 WITH LLVM-exception")',
    );
    expect(result.migration).toContain(
      'description: kept the value given explicitly (registry-metadata had "A *markdown* description")',
    );
  });

  it('refuses values that would not pass validation, so nothing is lost silently', () => {
    const bad = JSON.stringify({ license: 'MIT/Apache-2.0' });
    expect(() => migrate(module(custom('registry-metadata', bad)))).toThrow(
      /licenses: cannot migrate from registry-metadata: "MIT\/Apache-2.0" is not an SPDX licence expression/,
    );
    // An explicit value replaces the bad one.
    const fixed = migrate(module(custom('registry-metadata', bad)), { licenses: 'MIT OR Apache-2.0' });
    expect(readMetadata(joinChunks(fixed.chunks)).licenses).toBe('MIT OR Apache-2.0');
    expect(() => migrate(module(custom('registry-metadata', '{"authors":"Ana"}')))).toThrow(
      /`authors` is not an array of strings/,
    );
    expect(() => migrate(module(custom('registry-metadata', '{oops')))).toThrow(WasmMetaError);
  });

  it('leaves a file without legacy sections unchanged', () => {
    const input = module(custom('authors', 'x'));
    const result = migrate(input);
    expect(result.changed).toBe(false);
    expect(result.migration).toEqual([]);
    expect(Array.from(joinChunks(result.chunks))).toEqual(input);
  });
});
