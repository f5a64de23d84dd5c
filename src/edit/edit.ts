import { encodeUtf8 } from '../binary/utf8.js';
import { WasmMetaError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { FIELDS, type FieldName, TEXT_FIELDS, type TextFields } from '../fields.js';
import { PRODUCERS_FIELDS, type ProducerEntry } from '../sections/producers.js';
import { checkValue } from '../values/check.js';

export type { ProducerEntry } from '../sections/producers.js';

/**
 * A change to one field: `undefined` keeps it, a string sets it, `null` clears it.
 */
export type FieldChange = string | null | undefined;

/**
 * What an edit did to the target binary, one entry per field, producers value or removed
 * section, for people (`add` prints a line for each) and for tools. Values are as stored
 * (URLs serialized); `null` is absent.
 *
 * - `field`: a field the edit set or cleared (or that `clearAll` removed). `before === after`
 *   when the value was already so; `duplicatesRemoved` counts other copies of its section that
 *   were removed.
 * - `producer`: a producers value merged in (`before` is `null` when it was new).
 * - `section-removed`: a whole section removed without a field of its own: `producers` (cleared),
 *   the legacy `author` and `registry-metadata` sections.
 */
export type EditChange =
  | { kind: 'field'; field: FieldName; before: string | null; after: string | null; duplicatesRemoved: number }
  | { kind: 'producer'; field: ProducerEntry['field']; name: string; before: string | null; after: string }
  | { kind: 'section-removed'; section: string };

/**
 * An edit of a binary's metadata, as a value. Every field not mentioned is kept, byte for byte.
 */
export type MetadataEdit = {
  /** The module or component name (subsection 0 of its name section). */
  name?: FieldChange;
  /** Producers values to merge, in order (incoming versions win). */
  producers?: readonly ProducerEntry[];
  /** Remove the producers section(s) before merging `producers` (if any). */
  clearProducers?: boolean;
  /**
   * Clear every metadata field that this edit does not set: the name, producers, the ten text
   * fields and the legacy `author` and `registry-metadata` sections. `.dep-v0` is kept.
   */
  clearAll?: boolean;
  /**
   * Move the legacy `author` and `registry-metadata` values into per-field sections where the
   * binary has none and the edit sets none, then remove the legacy sections.
   */
  migrateLegacy?: boolean;
  /**
   * The binary to edit, as a path of child indexes in `show` order: `[]` (the default) is the
   * outermost binary, `[1, 0]` the first child of its second child.
   */
  nested?: readonly number[];
} & { [Field in keyof TextFields]?: FieldChange };

/**
 * Checks the values of an edit and returns it with values normalized as they will be stored
 * (URLs serialized). Throws a {@link WasmMetaError} (`invalid-edit`) whose reason starts with
 * the field's name, such as `licenses: "MIT/Apache-2.0" is not an SPDX licence expression: …`.
 */
export function normalizeEdit(edit: MetadataEdit): MetadataEdit {
  const out: MetadataEdit = { ...edit };
  if (typeof edit.name === 'string') checkLength('name', edit.name, LIMITS.maxNameBytes);
  for (const field of TEXT_FIELDS) {
    const value = edit[field.key];
    if (typeof value !== 'string') continue;
    checkLength(field.key, value, LIMITS.maxValueBytes);
    const checked = checkValue(field.value, value);
    if (typeof checked !== 'string') throw invalidEdit(field.key, checked.problem);
    out[field.key] = checked;
  }
  for (const entry of edit.producers ?? []) {
    if (!PRODUCERS_FIELDS.includes(entry.field)) throw invalidEdit('producers', `unknown field \`${entry.field}\``);
    checkLength(entry.field, entry.name, LIMITS.maxNameBytes);
    checkLength(entry.field, entry.version, LIMITS.maxNameBytes);
  }
  for (const index of edit.nested ?? []) {
    if (!Number.isSafeInteger(index) || index < 0) throw invalidEdit('nested', `\`${index}\` is not a child index`);
  }
  return out;
}

/** The fields an edit sets or clears: a package manifest's keys for them are neither used nor checked. */
export function editedFields(edit: MetadataEdit): FieldName[] {
  return FIELDS.map((field) => field.key).filter((key) => edit[key] !== undefined);
}

/**
 * `override` on top of `base`: every field `override` sets or clears wins, and its producers
 * are merged after `base`'s. This is how explicit flags combine with a manifest's values.
 */
export function mergeEdits(base: MetadataEdit, override: MetadataEdit): MetadataEdit {
  const merged: MetadataEdit = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  const producers = [...(base.producers ?? []), ...(override.producers ?? [])];
  if (producers.length > 0) merged.producers = producers;
  return merged;
}

/** The error for an invalid value of `field`. */
export function invalidEdit(field: string, problem: string): WasmMetaError {
  return new WasmMetaError('invalid-edit', `${field}: ${problem}`);
}

function checkLength(field: string, value: string, max: number): void {
  const length = encodeUtf8(value).length;
  if (length > max) throw invalidEdit(field, `${length} bytes is longer than the limit of ${max}`);
}
