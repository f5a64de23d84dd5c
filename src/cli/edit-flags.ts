import { type Command, InvalidArgumentError, Option } from 'commander';
import { TEXT_FIELD_SPECS } from '../sections/field-names.js';
import { camel } from './edit-options.js';

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
  for (const { field: flag, expects } of TEXT_FIELD_SPECS) {
    const valueOption = new Option(
      `--${flag} <${flag === 'created' ? 'RFC3339' : 'NAME'}>`,
      `set ${flag} (${expects})`,
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
