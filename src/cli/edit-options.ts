import type { MetadataEdit, ProducerEntry } from '../edit/edit.js';
import { FIELDS } from '../fields.js';

/** Parsed values of the edit options, as commander gives them. */
export type EditOptionValues = Record<string, string | boolean | Array<[string, string]> | number[] | undefined>;

/** Builds the edit that the options describe. */
export function editFromOptions(values: EditOptionValues): MetadataEdit {
  const edit: MetadataEdit = {};
  const change = (flag: string): string | null | undefined =>
    typeof values[camel(flag)] === 'string'
      ? (values[camel(flag)] as string)
      : values[camel(`clear-${flag}`)]
        ? null
        : undefined;
  for (const { key } of FIELDS) {
    const value = change(key);
    if (value !== undefined) edit[key] = value;
  }
  // Added as wasm-tools does: all language values, then processed-by, then sdk.
  const producers: ProducerEntry[] = [];
  for (const field of ['language', 'processed-by', 'sdk'] as const) {
    for (const [name, version] of (values[camel(field)] as Array<[string, string]> | undefined) ?? []) {
      producers.push({ field, name, version });
    }
  }
  if (producers.length > 0) edit.producers = producers;
  if (values['clearProducers']) edit.clearProducers = true;
  if (values['clearAll']) edit.clearAll = true;
  if (values['migrateLegacy']) edit.migrateLegacy = true;
  if (Array.isArray(values['nested'])) edit.nested = values['nested'] as number[];
  return edit;
}

/** commander's attribute name for a flag: `clear-processed-by` → `clearProcessedBy`. */
export function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
