import { decodeUtf8 } from '../binary/utf8.js';
import { WasmMetaError } from '../errors.js';
import type { ValueKind } from '../fields.js';
import { checkValue } from '../values/check.js';

/**
 * The codec of the text fields (`authors`, `licenses`, …; see `fields.ts`): one custom section
 * whose data is the raw UTF-8 value, with no length prefix, quoting or terminator. Encoding is
 * `encodeUtf8`.
 */

/** The legacy singular `author` section (wasm-metadata 0.222 to 0.225): free-form text. */
export const LEGACY_AUTHOR_SECTION = 'author';

/**
 * Decodes the data of a text-field section and checks it as a value of `kind`; returns the
 * value as reported (URLs serialized). Throws a {@link WasmMetaError} (`invalid-metadata`)
 * saying what is wrong, at `offset`.
 */
export function decodeTextValue(data: Uint8Array, offset: number, kind: ValueKind = 'text'): string {
  const text = decodeUtf8(data);
  if (text === undefined) throw new WasmMetaError('invalid-metadata', 'value is not valid UTF-8', offset);
  const checked = checkValue(kind, text);
  if (typeof checked !== 'string') throw new WasmMetaError('invalid-metadata', checked.problem, offset);
  return checked;
}
