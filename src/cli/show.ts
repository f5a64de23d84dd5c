import { escapeForTerminal } from '../format/escape.js';
import { showTableBytes } from '../format/show-table.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { writeStdout } from './output.js';
import { report } from './report.js';
import { keepCells, keepJsonBytes, readKeepingInput } from './show-reader.js';
import { runCommand } from './run.js';

/** `wasm-meta show`: the metadata tree as wasm-tools' tables, or as JSON. */
export const command: CommandSpec = {
  name: 'show',
  summary: 'Show the metadata of a module or component and of every binary nested in it.',
  description:
    'Prints a summary table of every binary, then one details table per binary, as wasm-tools metadata show prints them. A metadata section whose value is invalid is shown as missing, with a warning on standard error.',
  arguments: [{ name: 'file', help: 'the .wasm file; - for standard input', default: '-' }],
  options: [
    { name: 'json', help: "print compact JSON (the keys of wasm-tools, then wasm-meta's additions)" },
    { name: 'strict', help: 'fail (exit 1) if any metadata section is invalid, instead of warning' },
    {
      name: 'paths',
      help: 'also show the --nested path of each nested binary (a NESTED column and a nested row)',
    },
  ],
  examples: [
    ['show app.wasm', 'every binary in app.wasm, as tables'],
    ['show --paths app.wasm', 'the same, with the path that add --nested takes for each binary'],
    ['show --json app.wasm', 'as JSON (each binary with its nested path)'],
  ],
  async run(args) {
    const file = args.positionals[0] as string;
    const options = { strict: args.flag('strict') };
    if (args.flag('json')) {
      const { keep, json } = keepJsonBytes();
      try {
        await readKeepingInput(file, options, keep);
      } catch (error) {
        return report(file, error);
      }
      await writeStdout(json());
      return EXIT.ok;
    }
    let read;
    try {
      read = await readKeepingInput(file, options, keepCells());
    } catch (error) {
      return report(file, error);
    }
    for (const d of read.diagnostics) {
      process.stderr.write(
        `warning: 0x${d.offset.toString(16)}: ${escapeForTerminal(d.section)}: ${escapeForTerminal(d.message)}\n`,
      );
    }
    // Written as rendered, a batch at a time: a file of thousands of modules gives megabytes
    // of tables, which are never held whole.
    for (const batch of showTableBytes(read.root, { paths: args.flag('paths') })) await writeStdout(batch);
    return EXIT.ok;
  },
};

/** Runs `wasm-meta show` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
