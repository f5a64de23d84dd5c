import { describe, expect, it } from 'vitest';
import { WasmMetaError } from '../../src/errors.js';
import { decodeTextValue } from '../../src/sections/text.js';

const decode = (value: string | number[], kind?: Parameters<typeof decodeTextValue>[2]) =>
  decodeTextValue(typeof value === 'string' ? Buffer.from(value) : Uint8Array.from(value), 40, kind);

describe('the text-field codec', () => {
  it('returns free-form text unchanged, byte-order mark and newlines included', () => {
    expect(decode('Chashu Cat')).toBe('Chashu Cat');
    expect(decode('\ufeffline 1\nline 2')).toBe('\ufeffline 1\nline 2');
    expect(decode('')).toBe('');
  });

  it('rejects invalid UTF-8 with the section offset', () => {
    try {
      decode([0x41, 0xff]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WasmMetaError);
      expect((error as WasmMetaError).code).toBe('invalid-metadata');
      expect((error as WasmMetaError).offset).toBe(40);
    }
  });

  it('checks the value by its kind, and reports URLs serialized', () => {
    expect(decode('https://Example.com', 'url')).toBe('https://example.com/');
    expect(() => decode('github.com/acme/hello', 'url')).toThrow(/"github.com\/acme\/hello" is not an absolute URL/);
    expect(() => decode('MIT/Apache-2.0', 'spdx')).toThrow(/is not an SPDX licence expression/);
    expect(() => decode('2026-01-01', 'date-time')).toThrow(/not an RFC 3339 date-time/);
  });
});
