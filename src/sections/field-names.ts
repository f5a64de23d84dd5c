/**
 * The names of the metadata fields, apart from their codecs, so that the command line can
 * list them without loading the validators (and the SPDX licence list).
 */

/** The text fields, in the order their sections are appended, with what a value must be. */
export const TEXT_FIELD_SPECS = [
  { field: 'authors', expects: 'text' },
  { field: 'description', expects: 'text' },
  { field: 'licenses', expects: 'an SPDX licence expression' },
  { field: 'source', expects: 'an absolute URL' },
  { field: 'homepage', expects: 'an absolute URL' },
  { field: 'revision', expects: 'text' },
  { field: 'version', expects: 'text' },
  { field: 'documentation', expects: 'an absolute URL' },
  { field: 'vendor', expects: 'text' },
  { field: 'created', expects: 'an RFC 3339 date-time' },
] as const;

/** A text field's name; each is also the name of its custom section. */
export type TextFieldName = (typeof TEXT_FIELD_SPECS)[number]['field'];

/** Fields that `check` can compare and require. */
export type CheckField = 'name' | TextFieldName | 'producers';

/** Every field `check` knows, in the order of its table. */
export const CHECK_FIELDS: readonly CheckField[] = ['name', ...TEXT_FIELD_SPECS.map((s) => s.field), 'producers'];
