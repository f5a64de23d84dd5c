import { escapeForTerminal } from '../format/escape.js';
import { annotationsFor, orasAnnotationFile, sortKeys } from '../oci/annotations.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { readInputMetadata } from './input.js';
import { writeStdout } from './output.js';
import { report } from './report.js';
import { runCommand } from './run.js';

/** `wasm-meta annotations`: the OCI annotations the outermost binary's sections give. */
export const command: CommandSpec = {
  name: 'annotations',
  summary: "Print the OCI annotations that the outermost binary's metadata sections give.",
  arguments: [{ name: 'file', help: 'the .wasm file; - for standard input', default: '-' }],
  options: [
    {
      name: 'format',
      value: 'FORMAT',
      help: 'the output: a plain JSON object, or an annotation file for oras and push --annotation-file',
      choices: ['json', 'oras'],
      default: 'json',
    },
    { name: 'strict', help: 'fail if a metadata section is invalid instead of warning' },
  ],
  examples: [['annotations dist/app.wasm', 'the annotations that push would set']],
  async run(args) {
    const file = args.positionals[0] as string;
    try {
      const binary = await readInputMetadata(file, {});
      const { imageManifest, warnings } = annotationsFor(binary, { strict: args.flag('strict') });
      for (const warning of warnings) process.stderr.write(`warning: ${escapeForTerminal(warning)}\n`);
      await writeStdout(
        args.value('format') === 'oras'
          ? orasAnnotationFile(imageManifest)
          : `${JSON.stringify(sortKeys(imageManifest), null, 2)}\n`,
      );
      return EXIT.ok;
    } catch (error) {
      return report(file, error);
    }
  },
};

/** Runs `wasm-meta annotations` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
