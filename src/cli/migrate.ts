import { applyEdit } from '../edit/rewrite.js';
import { escapeForTerminal } from '../format/escape.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { readInputBytes } from './input.js';
import { OUTPUT_OPTIONS } from './options.js';
import { outputTarget, writeOutput, writeStdout } from './output.js';
import { report } from './report.js';
import { runCommand } from './run.js';

/**
 * `wasm-meta migrate`: moves the legacy `author` and `registry-metadata` sections into
 * per-field sections and prints what changed. A file with nothing to migrate is not rewritten.
 */
export const command: CommandSpec = {
  name: 'migrate',
  summary: 'Move legacy `author` and `registry-metadata` values into per-field sections.',
  description:
    'Existing per-field sections win; keys with no per-field section are reported as dropped. What changed is printed (on standard error when the binary goes to standard output).',
  arguments: [{ name: 'file', help: 'the .wasm file; - for standard input', default: '-' }],
  options: OUTPUT_OPTIONS,
  examples: [['migrate old.wasm --in-place', 'rewrite old.wasm with per-field sections']],
  async run(args) {
    const file = args.positionals[0] as string;
    try {
      const target = outputTarget(file, args.value('output'), args.flag('in-place'));
      const bytes = await readInputBytes(file);
      const result = applyEdit(bytes, { migrateLegacy: true });
      // The report goes to stderr when the binary goes to stdout.
      const say = (text: string): Promise<unknown> =>
        target.kind === 'stdout' ? Promise.resolve(process.stderr.write(text)) : writeStdout(text);
      const name = file === '-' ? 'the input' : file;
      if (!result.changed) {
        await say(`nothing to migrate: ${escapeForTerminal(name)} has no legacy author or registry-metadata section\n`);
        if (target.kind !== 'in-place') await writeOutput(target, result.chunks);
        return EXIT.ok;
      }
      await writeOutput(target, result.chunks);
      await say(result.migration.map((line) => `${escapeForTerminal(line)}\n`).join(''));
      return EXIT.ok;
    } catch (error) {
      return report(file, error);
    }
  },
};

/** Runs `wasm-meta migrate` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
