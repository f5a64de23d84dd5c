import type { Section } from '../binary/sections.js';
import { WasmMetaError } from '../errors.js';
import { type TextFieldName, fieldSpec } from '../fields.js';
import type { WasmBinary } from '../metadata.js';
import { isJsonObject } from '../sections/json-object.js';
import { LEGACY_AUTHOR_SECTION } from '../sections/text.js';
import { checkFieldValue } from '../values/check.js';
import { REGISTRY_METADATA_SECTION } from '../sections/registry-metadata.js';
import type { MetadataEdit } from './edit.js';

/** What migrating the legacy sections of a binary does. */
export interface MigrationPlan {
  /** The edit with the migrated values added. */
  edit: MetadataEdit;
  /** One line per change, for people: "authors: set to "A, B" (from registry-metadata)". */
  changes: string[];
}

/** `links[].ty` values of registry-metadata that have a per-field section. */
const LINK_FIELDS: Readonly<Record<string, TextFieldName>> = {
  Homepage: 'homepage',
  Repository: 'source',
  Documentation: 'documentation',
};

/** registry-metadata keys that have a per-field section. */
const MAPPED_KEYS = new Set(['authors', 'description', 'license', 'links']);

/**
 * Plans the migration of a binary's legacy `author` and `registry-metadata` sections into
 * per-field sections (spec §7f): a field is written only if the binary has no section for it
 * and the edit does not set or clear it; the legacy sections are then removed. Values are
 * checked as if given on the command line; a value that fails is an error (`invalid-edit`),
 * so that nothing is lost silently. Keys with no per-field section are reported as dropped.
 */
export function planMigration(binary: WasmBinary, sections: readonly Section[], edit: MetadataEdit): MigrationPlan {
  const invalid = binary.diagnostics.find(
    (d) => d.section === LEGACY_AUTHOR_SECTION || d.section === REGISTRY_METADATA_SECTION,
  );
  if (invalid !== undefined) {
    throw new WasmMetaError(
      'invalid-metadata',
      `cannot migrate the invalid \`${invalid.section}\` section: ${invalid.message}`,
      invalid.offset,
    );
  }
  const present = new Set(sections.map((s) => s.name));
  const registry = binary.legacy?.registryMetadata ?? null;
  const author = binary.legacy?.author ?? null;
  const out: MetadataEdit = { ...edit };
  const changes: string[] = [];

  const offer = (field: TextFieldName, value: string, from: string): void => {
    if (edit[field] !== undefined) {
      changes.push(`${field}: kept the value given explicitly (${from} had ${JSON.stringify(value)})`);
    } else if (present.has(fieldSpec(field).section)) {
      changes.push(`${field}: kept the existing section (${from} had ${JSON.stringify(value)})`);
    } else {
      const checked = checkFieldValue(field, value);
      if (typeof checked !== 'string') {
        throw new WasmMetaError(
          'invalid-edit',
          `${field}: cannot migrate from ${from}: ${checked.problem}; give --${field} to replace it`,
        );
      }
      out[field] = checked;
      changes.push(`${field}: set to ${JSON.stringify(checked)} (from ${from})`);
    }
  };

  if (author !== null) offer('authors', author, 'the author section');
  if (registry !== null) {
    const from = 'registry-metadata';
    const authors = registry['authors'];
    if (authors !== undefined) {
      if (!Array.isArray(authors) || !authors.every((a) => typeof a === 'string')) {
        throw malformed('authors', 'an array of strings');
      }
      if (author !== null) changes.push(`authors: the author section wins over ${from} ${JSON.stringify(authors)}`);
      else offer('authors', authors.join(', '), from);
    }
    const description = registry['description'];
    if (description !== undefined) {
      if (typeof description !== 'string') throw malformed('description', 'a string');
      offer('description', description, from);
    }
    const license = registry['license'];
    if (license !== undefined) {
      if (typeof license !== 'string') throw malformed('license', 'a string');
      offer('licenses', license, from);
    }
    const links = registry['links'];
    if (links !== undefined) {
      if (
        !Array.isArray(links) ||
        !links.every((l) => isJsonObject(l) && typeof l['ty'] === 'string' && typeof l['value'] === 'string')
      ) {
        throw malformed('links', 'an array of {ty, value} strings');
      }
      const taken = new Set<string>();
      for (const link of links as Array<{ ty: string; value: string }>) {
        const field = LINK_FIELDS[link.ty];
        if (field === undefined || taken.has(field)) {
          changes.push(`dropped: ${from} link ${link.ty} ${JSON.stringify(link.value)} (no per-field section)`);
          continue;
        }
        taken.add(field);
        offer(field, link.value, `${from} link ${link.ty}`);
      }
    }
    const unmapped = Object.keys(registry).filter((key) => !MAPPED_KEYS.has(key));
    if (unmapped.length > 0) changes.push(`dropped: ${from} ${unmapped.join(', ')} (no per-field section)`);
  }
  for (const s of sections) {
    if (s.name === LEGACY_AUTHOR_SECTION || s.name === REGISTRY_METADATA_SECTION) {
      changes.push(`removed: the ${s.name} section (${s.end - s.start} bytes at 0x${s.start.toString(16)})`);
    }
  }
  return { edit: out, changes };
}

function malformed(key: string, expected: string): WasmMetaError {
  return new WasmMetaError('invalid-metadata', `cannot migrate registry-metadata: \`${key}\` is not ${expected}`);
}
