import { applyEdit } from '../edit/rewrite.js';
import type { AddMetadataResult } from '../add-metadata.js';
import { addMetadataToFile, prepareEdit } from '../node/add-metadata.js';
import type { CommandSpec } from './command.js';
import { type EditDestination, describeChange, describeDestination, printEditReport } from './edit-report.js';
import { EXIT } from './exit-codes.js';
import { readInputBytes } from './input.js';
import {
  EDIT_OPTIONS,
  OUTPUT_OPTIONS,
  editFromArgs,
  packageManifestFromArgs,
  packageManifestOptions,
} from './options.js';
import { type OutputTarget, outputTarget, writeOutput } from './output.js';
import { report, reportPackageManifest } from './report.js';
import { runCommand } from './run.js';

/**
 * `wasm-meta add`: checks every value, reads the input, applies the edit, writes the result
 * atomically (or to standard output) and says on standard error what it changed. A file edited
 * into a file goes through the library's `addMetadataToFile`, so that the command and library
 * users get the same `add`.
 */
export const command: CommandSpec = {
  name: 'add',
  summary: 'Add, replace or remove metadata sections; every other byte stays as it is.',
  description:
    'Setting a field rewrites its section where it stands and removes other copies; a field without a section gets one at the end. Values are checked before anything is read or written. Explicit flags win over --from, and --from over what the binary has. What changed is printed on standard error, one line per field.',
  arguments: [{ name: 'file', help: 'the .wasm file; - for standard input', default: '-' }],
  options: [
    ...OUTPUT_OPTIONS,
    ...EDIT_OPTIONS,
    ...packageManifestOptions('take the metadata'),
    { name: 'strict', help: 'fail if any metadata section in the file is invalid' },
    {
      name: 'dry-run',
      help: 'print what would change and write nothing (-o and --in-place optional)',
    },
    { name: 'quiet', short: 'q', help: 'print nothing about what changed (warnings and errors still)' },
  ],
  examples: [
    ['add dist/app.wasm --in-place --from package.json', 'stamp the metadata of package.json (and git HEAD)'],
    [
      'add app.wasm -o out.wasm --licenses "MIT OR Apache-2.0" --source https://github.com/acme/app',
      'set two fields, writing a new file',
    ],
    ['add app.wasm --dry-run --from Cargo.toml', 'see what stamping Cargo.toml would change, writing nothing'],
    ['add app.wasm --in-place --nested 1.0 --processed-by my-tool=1.0.0', 'add a producers value to a nested module'],
  ],
  async run(args) {
    const file = args.positionals[0] as string;
    const dryRun = args.flag('dry-run');
    try {
      // A dry run writes nothing, so it needs no destination; one given is checked all the same.
      const target =
        dryRun && !args.has('output') && !args.flag('in-place')
          ? undefined
          : outputTarget(file, args.value('output'), args.flag('in-place'));
      const sources = { edit: editFromArgs(args), ...packageManifestFromArgs(args) };
      const strict = args.flag('strict');
      if (file !== '-' && target !== undefined && target.kind !== 'stdout') {
        const result = await addMetadataToFile(file, {
          ...sources,
          strict,
          dryRun,
          ...(target.kind === 'file' ? { output: target.path } : {}),
        });
        tell(result, destinationOf(target, result.changed), dryRun, args.flag('quiet'));
        return EXIT.ok;
      }
      const prepared = await prepareEdit(sources);
      const result = applyEdit(await readInputBytes(file), prepared.edit, { strict });
      if (target !== undefined && !dryRun) await writeOutput(target, result.chunks);
      const said = { ...prepared, migration: result.migration, changes: result.changes };
      tell(said, destinationOf(target, result.changed), dryRun, args.flag('quiet'));
      return EXIT.ok;
    } catch (error) {
      return report(file, error);
    }
  },
};

function destinationOf(target: OutputTarget | undefined, changed: boolean): EditDestination {
  if (target === undefined) return { kind: 'none' };
  return target.kind === 'in-place' ? { ...target, changed } : target;
}

/**
 * Prints, on standard error, what the manifest said, then (unless quiet) what a migration did,
 * what changed, and what was written.
 */
function tell(
  said: Pick<AddMetadataResult, 'warnings' | 'notes' | 'migration' | 'changes'>,
  destination: EditDestination,
  dryRun: boolean,
  quiet: boolean,
): void {
  reportPackageManifest(said);
  if (quiet) return;
  printEditReport([...said.migration, ...said.changes.map(describeChange), describeDestination(destination, dryRun)]);
}

/** Runs `wasm-meta add` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
