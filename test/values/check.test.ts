import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../src/fields.js';
import { checkFieldValue, checkValue, quoteValue } from '../../src/values/check.js';
import { isRfc3339DateTime } from '../../src/values/date-time.js';
import { correctSpdxExpression, spdxExpressionProblem } from '../../src/values/spdx.js';
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
    ['MIT/Apache-2.0', /`MIT\/Apache-2.0`: `\/` is not an operator, use OR/],
    ['GPL-2.0-only+', /use the `-or-later` identifier/],
    ['LGPL-2.1-only+', /-or-later/],
    ['MIT WITH Nokia-Qt-exception-1.1', /deprecated SPDX exception/],
    ['MIT AND', /not in a valid order/],
    ['AdditionRef-x', /unknown identifier `AdditionRef-x`|not in a valid order/],
    ['Not-A-Licence', /unknown identifier `Not-A-Licence`/],
  ])('rejects %j, with no suggestion', (expression, reason) => {
    const problem = spdxExpressionProblem(expression);
    expect(problem).toMatch(reason);
    expect(correctSpdxExpression(expression)).toBeUndefined();
    expect(checkValue('spdx', expression)).toEqual({
      problem: `${JSON.stringify(expression)} is not an SPDX licence expression: ${problem}`,
    });
  });

  it.each([
    ['mit', /^unknown identifier `mit` \(identifiers are case-sensitive: `MIT`\)$/, 'MIT'],
    ['MIT Or Apache-2.0', /operator `Or`/, 'MIT OR Apache-2.0'],
    ['GPL-2.0', /`GPL-2.0` is a deprecated SPDX licence identifier/, 'GPL-2.0-only'],
  ])('rejects %j, suggesting what npm would correct it to', (expression, reason, suggestion) => {
    const problem = spdxExpressionProblem(expression);
    expect(problem).toMatch(reason);
    expect(checkValue('spdx', expression)).toEqual({
      problem: `${JSON.stringify(expression)} is not an SPDX licence expression: ${problem}; did you mean ${JSON.stringify(suggestion)}?`,
      suggestion,
    });
  });
});

describe('correctSpdxExpression', () => {
  it.each([
    // Deprecated GNU ids become the ids the SPDX list names for them.
    ['GPL-2.0', 'GPL-2.0-only'],
    ['GPL-2.0+', 'GPL-2.0-or-later'],
    ['GPL-3.0', 'GPL-3.0-only'],
    ['LGPL-2.1', 'LGPL-2.1-only'],
    ['GFDL-1.3', 'GFDL-1.3-only'],
    // spdx-correct's corrections of a single licence.
    ['Apache 2', 'Apache-2.0'],
    ['apache-2.0', 'Apache-2.0'],
    ['GPLv2', 'GPL-2.0-only'],
    ['LGPLv3+', 'LGPL-3.0-or-later'],
    ['Apache License, Version 2.0', 'Apache-2.0'],
    // Compound expressions: each licence on its own; operators and exceptions kept.
    ['MIT OR GPL-2.0', 'MIT OR GPL-2.0-only'],
    ['(MIT OR GPL-2.0+) AND ISC', '(MIT OR GPL-2.0-or-later) AND ISC'],
    ['Mit Or Apache-2.0', 'MIT OR Apache-2.0'],
    ['mit or apache-2.0', 'MIT or Apache-2.0'],
    ['GPL-2.0 WITH Classpath-exception-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0'],
  ])('corrects %j to %j', (expression, corrected) => {
    expect(correctSpdxExpression(expression)).toBe(corrected);
    expect(spdxExpressionProblem(corrected)).toBeUndefined();
  });

  it.each([
    'MIT', // valid: nothing to correct
    'MIT OR Apache-2.0',
    'UNLICENSED', // npm's "not licensed"; spdx-correct would say Unlicense, the opposite
    'SEE LICENSE IN LICENSE.txt',
    'MIT/Apache-2.0', // lists: spdx-correct would keep only one of the licences
    'MIT, Apache-2.0',
    'MIT Apache-2.0',
    'MIT or Apache 2.0', // a licence of a compound expression that is not one word
    'GPL-2.0 +', // spdx-correct would drop the +, narrowing the licence
    'eCos-2.0', // deprecated, with no successor
    'Proprietary',
    '',
  ])('has no correction for %j', (expression) => {
    expect(correctSpdxExpression(expression)).toBeUndefined();
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
