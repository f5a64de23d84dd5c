import { ByteReader } from '../binary/byte-reader.js';
import { ByteWriter } from '../binary/byte-writer.js';
import { WasmMetaError } from '../errors.js';
import type { Producers } from '../metadata.js';

/** Section name of the producers section (tool-conventions `ProducersSection.md`). */
export const PRODUCERS_SECTION = 'producers';

/** The field names the producers section allows. */
export const PRODUCERS_FIELDS: readonly string[] = ['language', 'processed-by', 'sdk'];

/**
 * Decodes a producers section: `field_count`, then per field its name, `value_count` and
 * (name, version) string pairs. As in wasm-tools, a repeated field replaces the earlier one's
 * values but keeps its position, and a repeated name keeps its position and takes the last
 * version. `offset` is the file offset of `data[0]`.
 */
export function decodeProducers(data: Uint8Array, offset: number): Producers {
  const reader = new ByteReader(data, offset);
  const producers: Producers = new Map();
  const fieldCount = reader.varU32();
  for (let f = 0; f < fieldCount; f++) {
    const fieldAt = reader.offset;
    const field = reader.string();
    if (!PRODUCERS_FIELDS.includes(field)) {
      throw new WasmMetaError('invalid-metadata', `invalid producers field name \`${field}\``, fieldAt);
    }
    const values = new Map<string, string>();
    const valueCount = reader.varU32();
    for (let v = 0; v < valueCount; v++) {
      const name = reader.string();
      values.set(name, reader.string());
    }
    producers.set(field, values);
  }
  if (!reader.done) {
    reader.fail('invalid-metadata', `${reader.remaining} unexpected bytes after the last producers field`);
  }
  return producers;
}

/** One (field, name, version) value to add to a producers section. */
export interface ProducerEntry {
  field: 'language' | 'processed-by' | 'sdk';
  name: string;
  version: string;
  /** Add the value only if the field has no such name yet (never overwrite a known version). */
  ifAbsent?: boolean;
}

/**
 * Adds entries to a copy of `base`, in order, as wasm-tools does: an existing name keeps its
 * position and takes the new version, a new name is appended to its field, a missing field
 * is appended at the end.
 */
export function mergeProducers(base: Producers | null, entries: readonly ProducerEntry[]): Producers {
  const merged: Producers = new Map(Array.from(base ?? [], ([field, values]) => [field, new Map(values)]));
  for (const { field, name, version, ifAbsent } of entries) {
    let values = merged.get(field);
    if (values === undefined) merged.set(field, (values = new Map()));
    if (!(ifAbsent && values.has(name))) values.set(name, version);
  }
  return merged;
}

/** Encodes producers as the data of a producers section. */
export function encodeProducers(producers: Producers): Uint8Array {
  const out = new ByteWriter().varU32(producers.size);
  for (const [field, values] of producers) {
    out.string(field).varU32(values.size);
    for (const [name, version] of values) out.string(name).string(version);
  }
  return out.finish();
}
