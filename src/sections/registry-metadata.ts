import { decodeUtf8 } from '../binary/utf8.js';
import { WasmMetaError } from '../errors.js';

/** Section name of the legacy JSON metadata (wasm-metadata 0.9 to 1.221). */
export const REGISTRY_METADATA_SECTION = 'registry-metadata';

/**
 * Decodes a legacy `registry-metadata` section: a JSON object with the optional keys
 * `authors`, `description`, `license`, `custom_licenses`, `links` and `categories`. The
 * parsed object is returned as stored; its keys are checked when it is migrated, not here.
 */
export function decodeRegistryMetadata(data: Uint8Array, offset: number): Record<string, unknown> {
  const text = decodeUtf8(data);
  if (text === undefined) throw new WasmMetaError('invalid-metadata', 'value is not valid UTF-8', offset);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WasmMetaError('invalid-metadata', `not JSON: ${(error as Error).message}`, offset);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new WasmMetaError('invalid-metadata', 'expected a JSON object', offset);
  }
  return json as Record<string, unknown>;
}
