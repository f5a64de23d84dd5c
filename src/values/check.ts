import { type FieldName, type ValueKind, VALUE_KINDS, fieldSpec } from '../fields.js';
import { isRfc3339DateTime } from './date-time.js';
import { correctSpdxExpression, spdxExpressionProblem } from './spdx.js';
import { serializeAbsoluteUrl } from './url.js';

/**
 * The one place where metadata values are checked, whoever gives them: flags, package
 * manifests, explicit OCI annotations, the web form, and the sections a binary already has.
 */

/**
 * A checked value: the value as it is stored (URLs serialized), or why it is not allowed.
 *
 * A problem may carry the value it was probably meant to be (a licence that npm would correct).
 */
export type CheckedValue = string | { problem: string; suggestion?: string };

const MAX_QUOTED = 80;

/** A value quoted for a message, cut short if long (a value may be up to 1 MiB). */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED - 1)}…` : value);
}

/**
 * Checks a value of a kind. The problem is a sentence that names the value, such as
 * `"MIT/Apache-2.0" is not an SPDX licence expression: …`, and ends with the suggestion, if
 * any: `…; did you mean "GPL-2.0-only"?`.
 */
export function checkValue(kind: ValueKind, value: string): CheckedValue {
  switch (kind) {
    case 'text':
      return value;
    case 'spdx': {
      const reason = spdxExpressionProblem(value);
      if (reason === undefined) return value;
      const problem = `${quoteValue(value)} is not ${VALUE_KINDS.spdx.expects}: ${reason}`;
      const suggestion = correctSpdxExpression(value);
      return suggestion === undefined
        ? { problem }
        : { problem: `${problem}; did you mean ${quoteValue(suggestion)}?`, suggestion };
    }
    case 'url':
      return serializeAbsoluteUrl(value) ?? { problem: `${quoteValue(value)} is not ${VALUE_KINDS.url.expects}` };
    case 'date-time':
      return isRfc3339DateTime(value)
        ? value
        : { problem: `${quoteValue(value)} is not ${VALUE_KINDS['date-time'].expects}` };
  }
}

/** Checks a value of a field by the field's kind. */
export function checkFieldValue(field: FieldName, value: string): CheckedValue {
  return checkValue(fieldSpec(field).value, value);
}
