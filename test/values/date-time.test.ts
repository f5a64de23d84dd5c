import { describe, expect, it } from 'vitest';
import { canonicalDateTime, isRfc3339DateTime } from '../../src/values/date-time.js';

describe('canonicalDateTime', () => {
  it('writes upper-case T and Z, in UTC', () => {
    expect(canonicalDateTime('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
    expect(canonicalDateTime('2026-01-01t00:00:00z')).toBe('2026-01-01T00:00:00Z');
    expect(canonicalDateTime('2026-01-01T01:30:00+01:30')).toBe('2026-01-01T00:00:00Z');
    expect(canonicalDateTime('2025-12-31T23:00:00-01:00')).toBe('2026-01-01T00:00:00Z');
    expect(canonicalDateTime('2026-03-01T00:00:00+00:00')).toBe('2026-03-01T00:00:00Z');
  });

  it('keeps fractional seconds only when they are not zero, without trailing zeros', () => {
    expect(canonicalDateTime('2026-01-01T00:00:00.500Z')).toBe('2026-01-01T00:00:00.5Z');
    expect(canonicalDateTime('2026-01-01T00:00:00.123456789+02:00')).toBe('2025-12-31T22:00:00.123456789Z');
    expect(canonicalDateTime('2026-01-01T00:00:00.000+00:00')).toBe('2026-01-01T00:00:00Z');
  });

  it('handles early years, leap seconds, and refuses what is not RFC 3339 or has no UTC form', () => {
    expect(canonicalDateTime('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00Z');
    expect(canonicalDateTime('2016-12-31T23:59:60Z')).toBe('2016-12-31T23:59:60Z');
    expect(canonicalDateTime('0000-01-01T00:30:00+01:00')).toBeUndefined();
    expect(canonicalDateTime('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(canonicalDateTime('2026-01-01 00:00:00Z')).toBeUndefined();
    for (const value of ['2026-01-01T00:00:00Z', '2024-02-29T12:34:56.7-05:30']) {
      expect(isRfc3339DateTime(canonicalDateTime(value) as string)).toBe(true);
    }
  });
});
