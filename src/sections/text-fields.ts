import { decodeUtf8 } from '../binary/utf8.js';
import { WasmMetaError } from '../errors.js';
import type { TextFields } from '../metadata.js';
import { spdxExpressionProblem } from './licenses.js';
import { TEXT_FIELD_SPECS, type TextFieldName } from './field-names.js';
import { isRfc3339DateTime } from './rfc3339.js';
import { serializeAbsoluteUrl } from './url.js';

/**
 * The plain-text metadata fields. Each is one custom section whose data is the raw UTF-8
 * value (no length prefix, no quoting); they differ only in section name and validation, so
 * one table describes them all.
 */
export interface TextFieldCodec {
  /** The field in {@link TextFields}. */
  readonly field: keyof TextFields;
  /** The custom-section name, which is also the field's name. */
  readonly section: string;
  /** What the value must be, for messages: "an SPDX licence expression". */
  readonly expects: string;
  /**
   * Checks a decoded value: returns the value to report (URLs are reported serialized) or a
   * `{ problem }` saying why it is invalid.
   */
  readonly check: (value: string) => string | { problem: string };
}

const anyText = (value: string): string => value;

const spdx = (value: string): string | { problem: string } => {
  const problem = spdxExpressionProblem(value);
  return problem === undefined ? value : { problem };
};

const absoluteUrl = (value: string): string | { problem: string } =>
  serializeAbsoluteUrl(value) ?? { problem: `\`${value}\` is not an absolute URL` };

const dateTime = (value: string): string | { problem: string } =>
  isRfc3339DateTime(value) ? value : { problem: `\`${value}\` is not an RFC 3339 date-time` };

const CHECKS: Record<TextFieldName, TextFieldCodec['check']> = {
  authors: anyText,
  description: anyText,
  licenses: spdx,
  source: absoluteUrl,
  homepage: absoluteUrl,
  revision: anyText,
  version: anyText,
  documentation: absoluteUrl,
  vendor: anyText,
  created: dateTime,
};

/** The text fields in the order their sections are appended by `add`. */
export const TEXT_FIELDS: readonly TextFieldCodec[] = TEXT_FIELD_SPECS.map(({ field, expects }) => ({
  field,
  section: field,
  expects,
  check: CHECKS[field],
}));

/** The legacy singular `author` section (wasm-metadata 0.222 to 0.225): free-form text. */
export const LEGACY_AUTHOR_SECTION = 'author';

/**
 * Decodes the data of a text-field section and validates it with `check`. Throws a
 * {@link WasmMetaError} (`invalid-metadata`) saying what is wrong.
 */
export function decodeTextValue(data: Uint8Array, offset: number, check: TextFieldCodec['check'] = anyText): string {
  const text = decodeUtf8(data);
  if (text === undefined) throw new WasmMetaError('invalid-metadata', 'value is not valid UTF-8', offset);
  const checked = check(text);
  if (typeof checked !== 'string') throw new WasmMetaError('invalid-metadata', checked.problem, offset);
  return checked;
}
