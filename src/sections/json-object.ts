import { decodeUtf8 } from '../binary/utf8.js';
import { WasmMetaError } from '../errors.js';

/**
 * Decodes section data that must be a UTF-8 JSON object. `what` names the data in messages
 * ("dependency list"); `offset` is the section's file offset for errors.
 */
export function decodeJsonObject(data: Uint8Array, offset: number, what: string): Record<string, unknown> {
  const text = decodeUtf8(data);
  if (text === undefined) throw new WasmMetaError('invalid-metadata', `${what} is not valid UTF-8`, offset);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WasmMetaError('invalid-metadata', `${what} is not JSON: ${(error as Error).message}`, offset);
  }
  if (!isJsonObject(json)) throw new WasmMetaError('invalid-metadata', `${what} is not a JSON object`, offset);
  return json;
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
