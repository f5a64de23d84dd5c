import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../src/fields.js';
import { checkFieldValue, checkValue, quoteValue } from '../../src/values/check.js';
import { isRfc3339DateTime } from '../../src/values/date-time.js';
import { spdxExpressionProblem } from '../../src/values/spdx.js';
import { serializeAbsoluteUrl } from '../../src/values/url.js';

describe('checkValue', () => {
  it('takes any text as text, unchanged', () => {
    for (const value of ['', 'Chashu Cat', '\ufeffline 1\nline 2', 'not semver at all']) {
      expect(checkValue('text', value)).toBe(value);
    }
  });

  it('serializes absolute URLs and rejects relative ones, naming the value', () => {
    expect(checkValue('url', 'https://Example.com')).toBe('https://example.com/');
    expect(checkValue('url', 'https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(checkValue('url', 'github.com/acme/hello')).toEqual({
      problem: '"github.com/acme/hello" is not an absolute URL',
    });
    expect(checkValue('url', '/docs')).toHaveProperty('problem');
    expect(serializeAbsoluteUrl('mailto:someone@example.com')).toBe('mailto:someone@example.com');
  });

  it('checks RFC 3339 date-times', () => {
    expect(checkValue('date-time', '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
    expect(checkValue('date-time', '2026-01-01')).toEqual({ problem: '"2026-01-01" is not an RFC 3339 date-time' });
  });

  it('checks each field by the kind its row gives', () => {
    for (const field of FIELDS) {
      expect(checkFieldValue(field.key, 'github.com/x')).toEqual(checkValue(field.value, 'github.com/x'));
    }
    expect(checkFieldValue('homepage', 'x')).toHaveProperty('problem');
    expect(checkFieldValue('vendor', 'x')).toBe('x');
  });

  it('quotes long values cut short, so that a message stays readable', () => {
    expect(quoteValue('a"b')).toBe('"a\\"b"');
    const quoted = quoteValue('x'.repeat(1_000_000));
    expect(quoted.length).toBeLessThan(100);
    expect(quoted.endsWith('…"')).toBe(true);
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
    expect(checkValue('spdx', expression)).toBe(expression);
  });

  it.each([
    ['', /empty/],
    ['mit', /^unknown identifier `mit` \(identifiers are case-sensitive: `MIT`\)$/],
    ['MIT/Apache-2.0', /`MIT\/Apache-2.0`: `\/` is not an operator, use OR/],
    ['MIT Or Apache-2.0', /operator `Or`/],
    ['GPL-2.0', /deprecated SPDX licence identifier/],
    ['GPL-2.0-only+', /use the `-or-later` identifier/],
    ['LGPL-2.1-only+', /-or-later/],
    ['MIT WITH Nokia-Qt-exception-1.1', /deprecated SPDX exception/],
    ['MIT AND', /not in a valid order/],
    ['AdditionRef-x', /unknown identifier `AdditionRef-x`|not in a valid order/],
    ['Not-A-Licence', /unknown identifier `Not-A-Licence`/],
  ])('rejects %j', (expression, reason) => {
    const problem = spdxExpressionProblem(expression);
    expect(problem).toMatch(reason);
    expect(checkValue('spdx', expression)).toEqual({
      problem: `${JSON.stringify(expression)} is not an SPDX licence expression: ${problem}`,
    });
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
