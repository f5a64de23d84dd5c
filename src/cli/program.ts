import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CHECK_FIELDS, type CheckField } from '../fields.js';
import type { AddOptions } from './add.js';
import type { CheckOptions } from './check.js';
import type { EditOptionValues } from './edit-options.js';
import type { PushFlags } from './push.js';
import type { RegistryFlags } from './registry-options.js';
import { VERSION } from '../version.js';
import { addEditOptions } from './edit-flags.js';
import { addManifestOptions } from './manifest-options.js';
import { addRegistryOptions } from './registry-options.js';

import { EXIT } from './exit-codes.js';

/** What each command does with its parsed arguments; resolves to the exit code. */
export interface Commands {
  show(file: string, options: { json: boolean; strict: boolean }): Promise<number>;
  add(file: string, options: EditOptionValues & AddOptions): Promise<number>;
  migrate(file: string, options: { output?: string; inPlace?: boolean }): Promise<number>;
  check(file: string, options: CheckOptions): Promise<number>;
  annotations(file: string, options: { format?: 'json' | 'oras'; strict?: boolean }): Promise<number>;
  push(file: string, reference: string, options: PushFlags): Promise<number>;
  pull(reference: string, options: RegistryFlags & { output?: string; verify?: boolean }): Promise<number>;
  inspect(reference: string, options: RegistryFlags & { json?: boolean }): Promise<number>;
}

/** The commands, each imported only when it runs. */
const LAZY_COMMANDS: Commands = {
  show: async (...args) => (await import('./show.js')).runShow(...args),
  add: async (...args) => (await import('./add.js')).runAdd(...args),
  migrate: async (...args) => (await import('./migrate.js')).runMigrate(...args),
  check: async (...args) => (await import('./check.js')).runCheck(...args),
  annotations: async (...args) => (await import('./annotations.js')).runAnnotations(...args),
  push: async (...args) => (await import('./push.js')).runPush(...args),
  pull: async (...args) => (await import('./pull.js')).runPull(...args),
  inspect: async (...args) => (await import('./inspect.js')).runInspect(...args),
};

/**
 * The full command line: every command, its options, help and usage errors (commander).
 * `commands` receives the parsed arguments (tests pass their own to see what was parsed).
 */
export async function runProgram(argv: readonly string[], commands: Commands = LAZY_COMMANDS): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('wasm-meta')
    .description('Read and edit the package metadata of WebAssembly modules and components.')
    .version(VERSION, '-V, --version', 'print the version of wasm-meta')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions()
    .exitOverride();

  program
    .command('show')
    .description('Show the metadata of a module or component and of every binary nested in it.')
    .argument('[file]', 'the .wasm file; - or nothing for standard input', '-')
    .option('--json', "print compact JSON (the keys of wasm-tools, then wasm-meta's additions)")
    .addOption(new Option('--strict', 'fail (exit 1) if any metadata section is invalid, instead of warning'))
    .action(async (file: string, options: { json?: boolean; strict?: boolean }) => {
      exitCode = await commands.show(file, { json: options.json === true, strict: options.strict === true });
    });

  addManifestOptions(
    addEditOptions(
      editingCommand(
        program,
        'add',
        'Add, replace or remove metadata sections; every other byte stays as it is.',
      ).option('--strict', 'fail if any metadata section in the file is invalid'),
    ),
    'take the metadata',
  ).action(async (file: string, options: Record<string, never>) => {
    exitCode = await commands.add(file, options);
  });

  editingCommand(
    program,
    'migrate',
    'Move legacy `author` and `registry-metadata` values into per-field sections.',
  ).action(async (file: string, options: { output?: string; inPlace?: boolean }) => {
    exitCode = await commands.migrate(file, options);
  });

  addManifestOptions(
    program
      .command('check')
      .description("Check a binary's metadata against a manifest and required fields (for CI); exit 1 on any problem.")
      .argument('[file]', 'the .wasm file; - or nothing for standard input', '-')
      .option(
        '--require <FIELDS>',
        `comma-separated fields that must be present: ${CHECK_FIELDS.join(', ')}`,
        parseFields,
      )
      .option('--json', 'print the result as JSON'),
    'compare with the metadata',
  ).action(async (file: string, options: CheckOptions) => {
    exitCode = await commands.check(file, options);
  });

  program
    .command('annotations')
    .description("Print the OCI annotations that the outermost binary's metadata sections give.")
    .argument('[file]', 'the .wasm file; - or nothing for standard input', '-')
    .addOption(
      new Option('--format <FORMAT>', 'json (a plain object) or oras (an annotation file)')
        .choices(['json', 'oras'])
        .default('json'),
    )
    .option('--strict', 'fail if a metadata section is invalid instead of warning')
    .action(async (file: string, options: { format?: 'json' | 'oras'; strict?: boolean }) => {
      exitCode = await commands.annotations(file, options);
    });

  addRegistryOptions(
    program
      .command('push')
      .description('Publish a module or component to an OCI registry, with annotations from its metadata.')
      .argument('<file>', 'the .wasm file')
      .argument('<reference>', 'host[:port]/repository:tag, or a wkg package namespace:name@version')
      .option(
        '--annotation <KEY=VALUE>',
        'a manifest annotation (repeatable; wins over everything else)',
        collectAnnotation,
      )
      .option(
        '--annotation-file <FILE>',
        'annotations in oras format: {"$manifest": {...}, "$config": {...}, "<layer title>": {...}}',
      )
      .option('--created <WHEN>', 'the created annotation: an RFC 3339 date-time, or "now" (not reproducible)')
      .option('--strict', 'fail if a metadata section is invalid instead of skipping its annotation'),
  ).action(async (file: string, reference: string, options: Record<string, never>) => {
    exitCode = await commands.push(file, reference, options);
  });

  addRegistryOptions(
    program
      .command('pull')
      .description('Download a Wasm artifact from an OCI registry, verifying every digest.')
      .argument('<reference>', 'host[:port]/repository[:tag|@digest], or a wkg package namespace:name[@version]')
      .option('-o, --output <FILE>', 'where to write it (default: the layer title, else <repository>.wasm)')
      .option('--verify', 'also check that the metadata sections agree with the manifest annotations'),
  ).action(async (reference: string, options: Record<string, never>) => {
    exitCode = await commands.pull(reference, options);
  });

  addRegistryOptions(
    program
      .command('inspect')
      .description('Show the manifest, annotations and config of an artifact, without downloading it.')
      .argument('<reference>', 'host[:port]/repository[:tag|@digest], or a wkg package namespace:name[@version]')
      .option('--json', 'print the manifest and config as JSON'),
  ).action(async (reference: string, options: Record<string, never>) => {
    exitCode = await commands.inspect(reference, options);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? EXIT.ok
        : EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}

function collectAnnotation(value: string, previous: Array<[string, string]> | undefined): Array<[string, string]> {
  const at = value.indexOf('=');
  if (at < 0) throw new InvalidArgumentError('expected KEY=VALUE');
  return [...(previous ?? []), [value.slice(0, at), value.slice(at + 1)]];
}

function parseFields(value: string): CheckField[] {
  const fields = value
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const unknown = fields.filter((f) => !(CHECK_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown field ${unknown.join(', ')}; fields are ${CHECK_FIELDS.join(', ')}`);
  return fields as CheckField[];
}

/** A command that reads a binary and writes an edited one: input, `-o` and `--in-place`. */
function editingCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('[file]', 'the .wasm file; - or nothing for standard input', '-')
    .addOption(
      new Option('-o, --output <FILE>', 'write the result to FILE (- for standard output)').conflicts('inPlace'),
    )
    .option('--in-place', 'replace the input file (atomically, keeping its mode)');
}
