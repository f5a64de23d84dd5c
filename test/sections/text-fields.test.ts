import { describe, expect, it } from 'vitest';
import { WasmMetaError } from '../../src/errors.js';
import { spdxExpressionProblem } from '../../src/sections/licenses.js';
import { isRfc3339DateTime } from '../../src/sections/rfc3339.js';
import { TEXT_FIELDS, decodeTextValue } from '../../src/sections/text-fields.js';
import { serializeAbsoluteUrl } from '../../src/sections/url.js';

const codec = (field: string) => {
  const found = TEXT_FIELDS.find((c) => c.field === field);
  if (found === undefined) throw new Error(field);
  return found;
};
const decode = (field: string, value: string | number[]) =>
  decodeTextValue(typeof value === 'string' ? Buffer.from(value) : Uint8Array.from(value), 40, codec(field).check);

describe('text fields', () => {
  it('lists the fields in the order sections are appended', () => {
    expect(TEXT_FIELDS.map((c) => c.section)).toEqual([
      'authors',
      'description',
      'licenses',
      'source',
      'homepage',
      'revision',
      'version',
      'documentation',
      'vendor',
      'created',
    ]);
  });

  it('returns free-form text unchanged, byte-order mark and newlines included', () => {
    expect(decode('authors', 'Chashu Cat')).toBe('Chashu Cat');
    expect(decode('description', '\ufeffline 1\nline 2')).toBe('\ufeffline 1\nline 2');
    expect(decode('version', 'not semver at all')).toBe('not semver at all');
    expect(decode('revision', '')).toBe('');
  });

  it('rejects invalid UTF-8 with the section offset', () => {
    try {
      decode('authors', [0x41, 0xff]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WasmMetaError);
      expect((error as WasmMetaError).code).toBe('invalid-metadata');
      expect((error as WasmMetaError).offset).toBe(40);
    }
  });

  it('reports URLs serialized and rejects relative ones', () => {
    expect(decode('source', 'https://Example.com')).toBe('https://example.com/');
    expect(decode('homepage', 'https://github.com/bytecodealliance/wasm-tools')).toBe(
      'https://github.com/bytecodealliance/wasm-tools',
    );
    expect(decode('documentation', 'https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(() => decode('source', 'github.com/acme/hello')).toThrow(/is not an absolute URL/);
    expect(() => decode('homepage', '/docs')).toThrow(WasmMetaError);
    expect(serializeAbsoluteUrl('mailto:someone@example.com')).toBe('mailto:someone@example.com');
  });

  it('checks created as an RFC 3339 date-time', () => {
    expect(decode('created', '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
    expect(() => decode('created', '2026-01-01')).toThrow(/not an RFC 3339 date-time/);
  });
});

describe('SPDX licence expressions', () => {
  it.each([
    'MIT',
    'Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT',
    '(MIT OR Apache-2.0) AND BSD-3-Clause',
    'MIT and Apache-2.0',
    'mit'.toUpperCase(),
    'LicenseRef-my-licence',
    'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2',
    'GPL-2.0-or-later',
    'GPL-3.0-only WITH GCC-exception-3.1',
    'Apache-2.0+',
    'MIT WITH AdditionRef-my-exception',
    'MIT WITH DocumentRef-x:AdditionRef-y',
    'MIT\n',
  ])('accepts %j', (expression) => {
    expect(spdxExpressionProblem(expression)).toBeUndefined();
    expect(decode('licenses', expression)).toBe(expression);
  });

  it.each([
    ['', /empty/],
    ['mit', /not a valid SPDX licence expression: unknown identifier `mit` \(identifiers are case-sensitive: `MIT`\)/],
    ['MIT/Apache-2.0', /`MIT\/Apache-2.0`: `\/` is not an operator, use OR/],
    ['MIT Or Apache-2.0', /operator `Or`/],
    ['GPL-2.0', /deprecated SPDX licence identifier/],
    ['GPL-2.0-only+', /use the `-or-later` identifier/],
    ['LGPL-2.1-only+', /-or-later/],
    ['MIT WITH Nokia-Qt-exception-1.1', /deprecated SPDX exception/],
    ['MIT AND', /not in a valid order/],
    ['AdditionRef-x', /not a valid/],
    ['Not-A-Licence', /unknown identifier `Not-A-Licence`/],
  ])('rejects %j', (expression, reason) => {
    expect(spdxExpressionProblem(expression)).toMatch(reason);
    expect(() => decode('licenses', expression)).toThrow(WasmMetaError);
  });
});

describe('isRfc3339DateTime', () => {
  it.each([
    '2026-01-01T00:00:00Z',
    '2024-02-29T23:59:60+01:00',
    '1985-04-12T23:20:50.52z',
    '2026-11-28t06:34:57-08:30',
  ])('accepts %s', (value) => expect(isRfc3339DateTime(value)).toBe(true));
  it.each([
    '2026-01-01',
    '2026-01-01 00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:00:00',
    '2026-01-01T00:00:00+2400',
    '26-01-01T00:00:00Z',
  ])('rejects %s', (value) => expect(isRfc3339DateTime(value)).toBe(false));
});
