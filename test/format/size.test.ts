import { describe, expect, it } from 'vitest';
import { formatShare, formatSize, toFixedOneTiesEven } from '../../src/format/size.js';

describe('formatSize (bytesize short SI, as wasm-tools prints it)', () => {
  it.each([
    [0, '0B'],
    [8, '8B'],
    [999, '999B'],
    [1000, '1.0k'],
    [1250, '1.2k'],
    [1750, '1.8k'],
    [2250, '2.2k'],
    [242_107, '242.1k'],
    [999_949, '999.9k'],
    [999_950, '1000.0k'],
    [999_999, '1000.0k'],
    [1_000_000, '1.0M'],
    [1_621_885, '1.6M'],
    [13_978_850, '14.0M'],
    [2_500_000_000, '2.5G'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  it('rounds exact ties to even and everything else as toFixed does', () => {
    expect(toFixedOneTiesEven(0.25)).toBe('0.2');
    expect(toFixedOneTiesEven(0.75)).toBe('0.8');
    expect(toFixedOneTiesEven(1.05)).toBe((1.05).toFixed(1));
    expect(toFixedOneTiesEven(3)).toBe('3.0');
  });
});

describe('formatShare', () => {
  it.each([
    [{ start: 0, end: 136 }, 136, '100%'],
    [{ start: 10, end: 37 }, 136, '20%'],
    [{ start: 39, end: 74 }, 136, '26%'],
    [{ start: 0, end: 1 }, 1000, '<1%'],
    [{ start: 0, end: 14 }, 1000, '<1%'],
    [{ start: 0, end: 15 }, 1000, '2%'],
    [{ start: 3, end: 998 }, 1000, '>99%'],
  ])('%j of %d is %s', (range, end, text) => {
    expect(formatShare(range, end)).toBe(text);
  });
});
