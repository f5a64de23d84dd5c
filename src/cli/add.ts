import { applyEdit } from '../edit/rewrite.js';
import type { AddMetadataResult } from '../add-metadata.js';
import { type PreparedEdit, addMetadataToFile, addPreparedEditToFile, prepareEdit } from '../node/add-metadata.js';
import { type CommandSpec, type ParsedArgs, UsageError } from './command.js';
import { type EditDestination, describeChange, describeDestination, printEditReport } from './edit-report.js';
import { printError } from './error-line.js';
import { EXIT } from './exit-codes.js';
import { readInputBytes } from './input.js';
import { inputFiles } from './input-files.js';
import { processFile, summaryGroup, worstExit } from './many-files.js';
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
    'Setting a field rewrites its section where it stands and removes other copies; a field without a section gets one at the end. Values are checked before anything is read or written. Explicit flags win over --from, and --from over what the binary has. What changed is printed on standard error, one line per field. Several files are each edited in place (--in-place), the manifest read once; a file that fails is reported and the others still written, and the exit status is the worst of theirs.',
  arguments: [
    {
      name: 'file',
      help: 'the .wasm files (several need --in-place or --dry-run) or glob patterns; - for standard input',
      default: '-',
      variadic: true,
    },
  ],
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
    [
      'add --from package.json --in-place dist/*.wasm',
      'stamp every .wasm file in dist/, as an npm prepack script does; one line per file',
    ],
    ['add app.wasm --dry-run --from Cargo.toml', 'see what stamping Cargo.toml would change, writing nothing'],
    ['add app.wasm --in-place --nested 1.0 --processed-by my-tool=1.0.0', 'add a producers value to a nested module'],
  ],
  async run(args) {
    const files = await inputFiles(args.positionals);
    return files.length === 1 ? addToOne(files[0] as string, args) : addToMany(files, args);
  },
};

/** `add` with one input: a file or standard input, to any destination. */
async function addToOne(file: string, args: ParsedArgs): Promise<number> {
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
}

/**
 * `add` with several files, each edited in place (or, with --dry-run, not at all): the values
 * are checked and the manifest (and git) read once, then each file is edited and written on its
 * own, its report lines prefixed with its name. A file that fails is reported and the others
 * still processed; a summary line names the files written, unchanged and failed.
 */
async function addToMany(files: readonly string[], args: ParsedArgs): Promise<number> {
  const dryRun = args.flag('dry-run');
  const quiet = args.flag('quiet');
  if (args.has('output')) {
    throw new UsageError(`-o writes one file, but ${files.length} input files are given: use --in-place`);
  }
  if (!args.flag('in-place') && !dryRun) {
    throw new UsageError(`${files.length} input files are given: add --in-place to edit each (or --dry-run)`);
  }
  let prepared: PreparedEdit;
  try {
    prepared = await prepareEdit({ edit: editFromArgs(args), ...packageManifestFromArgs(args) });
  } catch (error) {
    return report(undefined, error);
  }
  reportPackageManifest(prepared);
  const changed: string[] = [];
  const unchanged: string[] = [];
  const failed: string[] = [];
  const codes: number[] = [];
  for (const file of files) {
    const { exit } = await processFile(file, async () => {
      const result = await addPreparedEditToFile(file, prepared, { strict: args.flag('strict'), dryRun });
      (result.changed ? changed : unchanged).push(file);
      if (!quiet) {
        const lines = [...result.migration, ...result.changes.map(describeChange)].map((line) => `${file}: ${line}`);
        printEditReport([
          ...lines,
          describeDestination({ kind: 'in-place', path: file, changed: result.changed }, dryRun),
        ]);
      }
      return EXIT.ok;
    });
    if (exit !== EXIT.ok) failed.push(file);
    codes.push(exit);
  }
  const done = dryRun
    ? [...summaryGroup('would be rewritten', changed, true), ...summaryGroup('would stay as they are', unchanged)]
    : [...summaryGroup('written', changed, true), ...summaryGroup('unchanged', unchanged)];
  const what = `${dryRun ? 'dry run, nothing written: ' : ''}${done.join(', ')}`;
  if (failed.length > 0) {
    printError(`${failed.length} of ${files.length} files failed (${failed.join(', ')}); ${what}`);
  } else if (!quiet) {
    printEditReport([`${files.length} files: ${what}`]);
  }
  return worstExit(codes);
}

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
