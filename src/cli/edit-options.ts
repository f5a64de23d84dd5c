import { type Command, InvalidArgumentError, Option } from 'commander';
import type { MetadataEdit, ProducerEntry } from '../edit/edit.js';
import { TEXT_FIELDS } from '../sections/text-fields.js';

/**
 * The options of `wasm-meta add`: wasm-tools 1.257's `metadata add` flags, in its help order,
 * then wasm-meta's own (`--documentation`, `--vendor`, `--created`, `--clear-producers`,
 * `--clear-all`, `--migrate-legacy`, `--nested`).
 */
export function addEditOptions(command: Command): Command {
  command
    .addOption(new Option('--name <NAME>', 'set the module or component name').conflicts('clearName'))
    .option('--clear-name', 'remove the name (only the name: other name subsections stay)')
    .option('--language <NAME=VERSION>', 'add a producers `language` value (repeatable)', collectPair)
    .option('--processed-by <NAME=VERSION>', 'add a producers `processed-by` value (repeatable)', collectPair)
    .option('--sdk <NAME=VERSION>', 'add a producers `sdk` value (repeatable)', collectPair);
  for (const codec of TEXT_FIELDS) {
    const flag = codec.section;
    const valueOption = new Option(
      `--${flag} <${flag === 'created' ? 'RFC3339' : 'NAME'}>`,
      `set ${flag} (${codec.expects})`,
    );
    command.addOption(valueOption.conflicts(camel(`clear-${flag}`)));
    command.option(`--clear-${flag}`, `remove the ${flag} section`);
  }
  return command
    .option('--clear-producers', 'remove the producers section (before adding the values given)')
    .option('--clear-all', 'remove every metadata section that is not set by another flag')
    .option('--migrate-legacy', 'move legacy `author` and `registry-metadata` values into per-field sections')
    .option('--nested <PATH>', 'edit the nested binary at PATH (child indexes in `show` order, e.g. 1.0)', parsePath);
}

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
  const name = change('name');
  if (name !== undefined) edit.name = name;
  for (const codec of TEXT_FIELDS) {
    const value = change(codec.section);
    if (value !== undefined) edit[codec.field] = value;
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

/** `NAME=VERSION`, split at the first `=`: the name may be empty, the version may hold `=`. */
function collectPair(value: string, previous: Array<[string, string]> | undefined): Array<[string, string]> {
  const at = value.indexOf('=');
  if (at < 0) throw new InvalidArgumentError('expected NAME=VERSION');
  return [...(previous ?? []), [value.slice(0, at), value.slice(at + 1)]];
}

function parsePath(value: string): number[] {
  if (!/^\d+(?:\.\d+)*$/.test(value)) throw new InvalidArgumentError('expected child indexes such as 0 or 1.0');
  return value.split('.').map(Number);
}

/** commander's attribute name for a flag: `clear-processed-by` → `clearProcessedBy`. */
function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
