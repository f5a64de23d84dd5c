import { decodeJsonObject } from './json-object.js';

/** Section name of the legacy JSON metadata (wasm-metadata 0.9 to 1.221). */
export const REGISTRY_METADATA_SECTION = 'registry-metadata';

/**
 * Decodes a legacy `registry-metadata` section: a JSON object with the optional keys
 * `authors`, `description`, `license`, `custom_licenses`, `links` and `categories`. The
 * parsed object is returned as stored; its keys are checked when it is migrated, not here.
 */
export function decodeRegistryMetadata(data: Uint8Array, offset: number): Record<string, unknown> {
  return decodeJsonObject(data, offset, 'registry metadata');
}
