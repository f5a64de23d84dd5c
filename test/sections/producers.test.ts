import { describe, expect, it } from 'vitest';
import { WasmMetaError } from '../../src/errors.js';
import { decodeProducers } from '../../src/sections/producers.js';
import { leb, producersData, str } from '../support/wasm.js';

const decode = (data: number[]) => decodeProducers(Uint8Array.from(data), 50);
const asObject = (producers: ReturnType<typeof decodeProducers>) =>
  Array.from(producers, ([field, values]) => [field, Array.from(values)]);

describe('decodeProducers', () => {
  it('reads fields and values in order, empty versions included', () => {
    const producers = decode(
      producersData([
        [
          'language',
          [
            ['Rust', ''],
            ['C11', ''],
          ],
        ],
        ['processed-by', [['rustc', '1.88.0 (6b00bc388 2025-06-23)']]],
      ]),
    );
    expect(asObject(producers)).toEqual([
      [
        'language',
        [
          ['Rust', ''],
          ['C11', ''],
        ],
      ],
      ['processed-by', [['rustc', '1.88.0 (6b00bc388 2025-06-23)']]],
    ]);
  });

  it('keeps integer-like names in binary order', () => {
    const producers = decode(
      producersData([
        [
          'sdk',
          [
            ['b', '1'],
            ['2', '2'],
            ['1', '3'],
          ],
        ],
      ]),
    );
    expect(Array.from(producers.get('sdk')?.keys() ?? [])).toEqual(['b', '2', '1']);
  });

  it('lets a repeated field replace the values but keep its position, and a repeated name keep its position', () => {
    const producers = decode(
      producersData([
        ['language', [['a', '1']]],
        [
          'sdk',
          [
            ['x', '1'],
            ['y', '1'],
            ['x', '2'],
          ],
        ],
        ['language', [['b', '2']]],
      ]),
    );
    expect(asObject(producers)).toEqual([
      ['language', [['b', '2']]],
      [
        'sdk',
        [
          ['x', '2'],
          ['y', '1'],
        ],
      ],
    ]);
  });

  it('rejects unknown field names with the offset of the name', () => {
    const data = producersData([['compiler', [['x', '1']]]]);
    try {
      decode(data);
      expect.unreachable();
    } catch (error) {
      expect((error as WasmMetaError).message).toMatch(/invalid producers field name `compiler`/);
      expect((error as WasmMetaError).offset).toBe(51);
    }
  });

  it('rejects trailing bytes and truncated data', () => {
    expect(() => decode([...producersData([]), 0])).toThrow(/unexpected bytes after the last producers field/);
    expect(() => decode([...leb(1), ...str('language'), ...leb(2), ...str('a')])).toThrow(WasmMetaError);
    expect(() => decode([])).toThrow(WasmMetaError);
  });
});
