import { applyEdit } from '../edit/rewrite.js';
import { escapeForTerminal } from '../format/escape.js';
import { addMetadataToFile, prepareEdit } from '../node/add-metadata.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { readInputBytes } from './input.js';
import {
  EDIT_OPTIONS,
  OUTPUT_OPTIONS,
  editFromArgs,
  packageManifestFromArgs,
  packageManifestOptions,
} from './options.js';
import { outputTarget, writeOutput } from './output.js';
import { report, reportPackageManifest } from './report.js';
import { runCommand } from './run.js';

/**
 * `wasm-meta add`: checks every value, reads the input, applies the edit and writes the result
 * atomically (or to standard output). A file edited into a file goes through the library's
 * `addMetadataToFile`, so that the command and library users get the same `add`.
 */
export const command: CommandSpec = {
  name: 'add',
  summary: 'Add, replace or remove metadata sections; every other byte stays as it is.',
  description:
    'Setting a field rewrites its section where it stands and removes other copies; a field without a section gets one at the end. Values are checked before anything is read or written. Explicit flags win over --from, and --from over what the binary has.',
  arguments: [{ name: 'file', help: 'the .wasm file; - for standard input', default: '-' }],
  options: [
    ...OUTPUT_OPTIONS,
    ...EDIT_OPTIONS,
    ...packageManifestOptions('take the metadata'),
    { name: 'strict', help: 'fail if any metadata section in the file is invalid' },
  ],
  examples: [
    ['add dist/app.wasm --in-place --from package.json', 'stamp the metadata of package.json (and git HEAD)'],
    [
      'add app.wasm -o out.wasm --licenses "MIT OR Apache-2.0" --source https://github.com/acme/app',
      'set two fields, writing a new file',
    ],
    ['add app.wasm --in-place --nested 1.0 --processed-by my-tool=1.0.0', 'add a producers value to a nested module'],
  ],
  async run(args) {
    const file = args.positionals[0] as string;
    try {
      const target = outputTarget(file, args.value('output'), args.flag('in-place'));
      const sources = { edit: editFromArgs(args), ...packageManifestFromArgs(args) };
      const strict = args.flag('strict');
      if (file !== '-' && target.kind !== 'stdout') {
        const result = await addMetadataToFile(file, {
          ...sources,
          strict,
          ...(target.kind === 'file' ? { output: target.path } : {}),
        });
        tell(result);
        return EXIT.ok;
      }
      const prepared = await prepareEdit(sources);
      const result = applyEdit(await readInputBytes(file), prepared.edit, { strict });
      tell({ ...prepared, migration: result.migration });
      await writeOutput(target, result.chunks);
      return EXIT.ok;
    } catch (error) {
      return report(file, error);
    }
  },
};

/** Prints, on standard error, what the manifest and a migration said. */
function tell(said: { warnings: string[]; notes: string[]; migration: string[] }): void {
  reportPackageManifest(said);
  for (const line of said.migration) process.stderr.write(`${escapeForTerminal(line)}\n`);
}

/** Runs `wasm-meta add` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
