import { type Command, InvalidArgumentError, Option } from 'commander';
import { FIELDS, VALUE_KINDS, placeholderOf } from '../fields.js';
import { camel } from './edit-options.js';

/**
 * The options of `wasm-meta add`: wasm-tools 1.257's `metadata add` flags, in its help order,
 * then wasm-meta's own (`--documentation`, `--vendor`, `--created`, `--clear-producers`,
 * `--clear-all`, `--migrate-legacy`, `--nested`).
 */
export function addEditOptions(command: Command): Command {
  for (const field of FIELDS) {
    const kind = field.value === 'text' ? '' : ` (${VALUE_KINDS[field.value].expects})`;
    const valueOption = new Option(`--${field.key} <${placeholderOf(field)}>`, `set ${field.help}${kind}`);
    command.addOption(valueOption.conflicts(camel(`clear-${field.key}`)));
    command.option(
      `--clear-${field.key}`,
      field.codec === 'name'
        ? 'remove the name (only the name: other name subsections stay)'
        : `remove the ${field.key} section`,
    );
  }
  command
    .option('--language <NAME=VERSION>', 'add a producers `language` value (repeatable)', collectPair)
    .option('--processed-by <NAME=VERSION>', 'add a producers `processed-by` value (repeatable)', collectPair)
    .option('--sdk <NAME=VERSION>', 'add a producers `sdk` value (repeatable)', collectPair);
  return command
    .option('--clear-producers', 'remove the producers section (before adding the values given)')
    .option('--clear-all', 'remove every metadata section that is not set by another flag')
    .option('--migrate-legacy', 'move legacy `author` and `registry-metadata` values into per-field sections')
    .option('--nested <PATH>', 'edit the nested binary at PATH (child indexes in `show` order, e.g. 1.0)', parsePath);
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
