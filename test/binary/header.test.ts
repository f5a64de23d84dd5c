import { describe, expect, it } from 'vitest';
import { readHeader } from '../../src/binary/header.js';
import { WasmMetaError } from '../../src/errors.js';
import { COMPONENT_HEADER, MODULE_HEADER } from '../support/wasm.js';

describe('readHeader', () => {
  it('tells modules from components', () => {
    expect(readHeader(Uint8Array.from(MODULE_HEADER), 0)).toBe('module');
    expect(readHeader(Uint8Array.from(COMPONENT_HEADER), 0)).toBe('component');
  });

  it.each([
    ['bad magic', [0x7f, 0x45, 0x4c, 0x46, 1, 0, 0, 0], 'bad-header', 10],
    ['unknown version', [0, 0x61, 0x73, 0x6d, 2, 0, 0, 0], 'bad-header', 14],
    ['module version with component layer', [0, 0x61, 0x73, 0x6d, 1, 0, 1, 0], 'bad-header', 14],
    ['truncated preamble', [0, 0x61, 0x73, 0x6d, 1], 'truncated', 10],
    ['empty input', [], 'truncated', 10],
  ])('rejects %s', (_, bytes, code, offset) => {
    try {
      readHeader(Uint8Array.from(bytes), 10);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WasmMetaError);
      expect((error as WasmMetaError).code).toBe(code);
      expect((error as WasmMetaError).offset).toBe(offset);
    }
  });
});
