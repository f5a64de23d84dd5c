import type { MetadataEdit, ProducerEntry } from '../edit/edit.js';
import {
  CHECK_FIELDS,
  type CheckField,
  FIELDS,
  type FieldSpec,
  TEXT_FIELDS,
  VALUE_KINDS,
  placeholderOf,
} from '../fields.js';
import {
  PACKAGE_MANIFEST_KINDS,
  type PackageManifestKind,
  parsePackageManifestKind,
} from '../package-manifest/kinds.js';
import { escapeForTerminal } from '../format/escape.js';
import type { RegistryOptions } from '../node/oci-target.js';
import { type OptionSpec, type ParsedArgs, UsageError } from './command.js';
import { readStdin } from './input.js';

/** The options that several commands share, declared once. */

/** `-o/--output` and `--in-place`: where an editing command writes. */
export const OUTPUT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'output',
    short: 'o',
    value: 'FILE',
    help: 'write the result to FILE (- for standard output)',
    conflicts: ['in-place'],
  },
  { name: 'in-place', help: 'replace the input file (atomically, keeping its mode and owner)' },
];

const PRODUCER_FIELDS = ['language', 'processed-by', 'sdk'] as const;

/** `--<field>` and `--clear-<field>` for a field of the field table. */
function fieldOptions(field: FieldSpec): OptionSpec[] {
  return [
    {
      name: field.key,
      value: placeholderOf(field),
      help: `set ${field.help}${field.value === 'text' ? '' : ` (${VALUE_KINDS[field.value].expects})`}`,
      conflicts: [`clear-${field.key}`],
    },
    {
      name: `clear-${field.key}`,
      help:
        field.codec === 'name'
          ? 'remove the name (only the name: other name subsections stay)'
          : `remove the ${field.section} section`,
    },
  ];
}

/**
 * The options of `add` that change metadata: wasm-tools' `metadata add` flags in its help
 * order (the name, producers values, the text fields: all from the field table), then
 * wasm-meta's own.
 */
export const EDIT_OPTIONS: readonly OptionSpec[] = [
  ...FIELDS.filter((field) => field.codec === 'name').flatMap(fieldOptions),
  ...PRODUCER_FIELDS.map((field): OptionSpec => ({
    name: field,
    value: 'NAME=VERSION',
    help: `add a producers \`${field}\` value (repeatable)`,
    multiple: true,
    parse: parsePair,
  })),
  ...TEXT_FIELDS.flatMap(fieldOptions),
  { name: 'clear-producers', help: 'remove the producers section (before adding the values given)' },
  { name: 'clear-all', help: 'remove every metadata section that is not set by another flag' },
  { name: 'migrate-legacy', help: 'move legacy `author` and `registry-metadata` values into per-field sections' },
  {
    name: 'nested',
    value: 'PATH',
    help: 'edit the nested binary at PATH (child indexes, e.g. 1.0, as `show --paths` prints them)',
    parse: parseNestedPath,
  },
];

/** The edit that the edit options describe. */
export function editFromArgs(args: ParsedArgs): MetadataEdit {
  const edit: MetadataEdit = {};
  for (const { key } of FIELDS) {
    const value = args.value(key);
    if (value !== undefined) edit[key] = value;
    else if (args.flag(`clear-${key}`)) edit[key] = null;
  }
  // Added as wasm-tools does: all language values, then processed-by, then sdk.
  const producers: ProducerEntry[] = [];
  for (const field of PRODUCER_FIELDS) {
    for (const [name, version] of args.all<[string, string]>(field)) producers.push({ field, name, version });
  }
  if (producers.length > 0) edit.producers = producers;
  if (args.flag('clear-producers')) edit.clearProducers = true;
  if (args.flag('clear-all')) edit.clearAll = true;
  if (args.flag('migrate-legacy')) edit.migrateLegacy = true;
  const nested = args.value<number[]>('nested');
  if (nested !== undefined) edit.nested = nested;
  return edit;
}

/** `--from` and `--from-kind`: a package manifest to take (or compare) the metadata from. */
export function packageManifestOptions(purpose: string): OptionSpec[] {
  return [
    {
      name: 'from',
      value: 'MANIFEST',
      help: `${purpose} from a package manifest: ${PACKAGE_MANIFEST_KINDS.join(', ')}`,
    },
    {
      name: 'from-kind',
      value: 'KIND',
      help: 'the manifest format, when its file name does not tell it (npm, cargo, python, wkg)',
      parse: parseKind,
    },
  ];
}

/** The package manifest named by `--from`, and its kind. */
export function packageManifestFromArgs(args: ParsedArgs): { from?: string; fromKind?: PackageManifestKind } {
  const from = args.value('from');
  const fromKind = args.value<PackageManifestKind>('from-kind');
  return { ...(from === undefined ? {} : { from }), ...(fromKind === undefined ? {} : { fromKind }) };
}

/** `--require FIELDS` of `check`. */
export const REQUIRE_OPTION: OptionSpec = {
  name: 'require',
  value: 'FIELDS',
  help: `comma-separated fields that must be present: ${CHECK_FIELDS.join(', ')}`,
  parse: parseFields,
};

/** The options of every registry command. */
export const REGISTRY_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'insecure',
    value: 'HOSTS',
    help: 'allow plain HTTP to these hosts (comma-separated, repeatable); loopback hosts always may',
    multiple: true,
  },
  {
    name: 'username',
    short: 'u',
    value: 'USER',
    help: 'the user to log in as (the password comes from --password-stdin)',
  },
  { name: 'password-stdin', help: 'read the password from standard input' },
  {
    name: 'timeout',
    value: 'SECONDS',
    // The default is DEFAULT_TIMEOUT_SECONDS of src/oci/transport.ts, not imported: add and show load no registry code.
    help: 'fail a registry request after SECONDS without a byte moving (default 30)',
    parse: parseTimeout,
  },
];

function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(?:\.\d+)?$/.test(value) || !(seconds > 0)) {
    throw new UsageError(`expected a number of seconds greater than 0, not ${JSON.stringify(value)}`);
  }
  return seconds;
}

/**
 * `NAME=VERSION` (or the `form` given, such as `KEY=VALUE`), split at the first `=`: the name
 * may be empty, the value may hold `=`.
 */
export function parsePair(value: string, form = 'NAME=VERSION'): [string, string] {
  const at = value.indexOf('=');
  if (at < 0) throw new UsageError(`expected ${form}, not ${JSON.stringify(value)}`);
  return [value.slice(0, at), value.slice(at + 1)];
}

function parseNestedPath(value: string): number[] {
  if (!/^\d+(?:\.\d+)*$/.test(value))
    throw new UsageError(`expected child indexes such as 0 or 1.0, not ${JSON.stringify(value)}`);
  return value.split('.').map(Number);
}

function parseKind(value: string): PackageManifestKind {
  const kind = parsePackageManifestKind(value);
  if (kind === undefined)
    throw new UsageError(`expected one of ${PACKAGE_MANIFEST_KINDS.join(', ')}, or npm, cargo, python, wkg`);
  return kind;
}

function parseFields(value: string): CheckField[] {
  const fields = value
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const unknown = fields.filter((f) => !(CHECK_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0)
    throw new UsageError(`unknown field ${unknown.join(', ')}; fields are ${CHECK_FIELDS.join(', ')}`);
  return fields as CheckField[];
}

/**
 * The registry options as the OCI functions take them. The password comes only from standard
 * input, never from an argument; warnings go to standard error.
 */
export async function registryOptionsFromArgs(args: ParsedArgs): Promise<RegistryOptions> {
  const username = args.value('username');
  let password: string | undefined;
  if (args.flag('password-stdin')) {
    if (username === undefined) throw new UsageError('--password-stdin needs -u/--username');
    if (process.stdin.isTTY) throw new UsageError('--password-stdin reads the password from a pipe, not a terminal');
    password = new TextDecoder().decode(await readStdin()).replace(/\r?\n$/, '');
  } else if (username !== undefined) {
    throw new UsageError('-u/--username needs --password-stdin (passwords are never taken as arguments)');
  }
  const insecure = args
    .all('insecure')
    .flatMap((hosts) => hosts.split(','))
    .map((host) => host.trim())
    .filter((host) => host !== '');
  const timeout = args.value<number>('timeout');
  return {
    insecure,
    username,
    password,
    ...(timeout === undefined ? {} : { timeout }),
    onWarning: (message) => process.stderr.write(`warning: ${escapeForTerminal(message)}\n`),
  };
}
