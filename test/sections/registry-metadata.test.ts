import { describe, expect, it } from 'vitest';
import { decodeRegistryMetadata } from '../../src/sections/registry-metadata.js';

const decode = (text: string | number[]) =>
  decodeRegistryMetadata(typeof text === 'string' ? Buffer.from(text) : Uint8Array.from(text), 12);

describe('decodeRegistryMetadata', () => {
  it('returns the JSON object as stored', () => {
    const json = {
      authors: ['Ana', 'Ben'],
      description: '# Title',
      license: 'MIT OR LicenseRef-x',
      custom_licenses: [{ id: 'LicenseRef-x', name: 'X', text: '…' }],
      links: [{ ty: 'Repository', value: 'https://github.com/acme/x' }],
      categories: ['wasm'],
    };
    expect(decode(JSON.stringify(json))).toEqual(json);
  });

  it.each([
    ['not UTF-8', [0x7b, 0xff, 0x7d], /registry metadata is not valid UTF-8/],
    ['not JSON', '{authors:', /registry metadata is not JSON/],
    ['an array', '["a"]', /registry metadata is not a JSON object/],
    ['null', 'null', /not a JSON object/],
  ])('rejects %s', (_, data, message) => {
    expect(() => decode(data)).toThrow(message);
  });
});
