import { escapeForTerminal } from '../format/escape.js';
import { pullToFile } from '../node/oci.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { REGISTRY_OPTIONS, registryOptionsFromArgs } from './options.js';
import { writeStdout } from './output.js';
import { report } from './report.js';
import { runCommand } from './run.js';

/** `wasm-meta pull`: downloads a Wasm artifact, checking every digest, and writes it atomically. */
export const command: CommandSpec = {
  name: 'pull',
  summary: 'Download a Wasm artifact from an OCI registry, verifying every digest.',
  arguments: [
    {
      name: 'reference',
      help: 'host[:port]/repository[:tag|@digest], or a wkg package namespace:name[@version]',
    },
  ],
  options: [
    {
      name: 'output',
      short: 'o',
      value: 'FILE',
      help: 'where to write it (default: the layer title, else <repository>.wasm)',
    },
    {
      name: 'verify',
      help: 'also check that the metadata sections agree with the image manifest annotations (exit 3 if not)',
    },
    { name: 'json', help: 'print one JSON document: the file, the reference, the digest and the layer' },
    ...REGISTRY_OPTIONS,
  ],
  examples: [
    ['pull ghcr.io/acme/app:1.2.0 -o app.wasm --verify', 'download, with every digest and the annotations checked'],
    ['pull ghcr.io/acme/app:1.2.0 --json', 'download, and tell a script where the file went'],
  ],
  async run(args) {
    const reference = args.positionals[0] as string;
    try {
      const options = await registryOptionsFromArgs(args);
      const output = args.value('output');
      const result = await pullToFile(reference, {
        ...options,
        ...(output === undefined ? {} : { output }),
        verify: args.flag('verify'),
      });
      for (const warning of result.warnings) process.stderr.write(`warning: ${escapeForTerminal(warning)}\n`);
      if (args.flag('json')) {
        const { path: file, reference, digest, size, layer } = result;
        await writeStdout(`${JSON.stringify({ file, reference, digest, size, layer })}\n`);
      } else {
        await writeStdout(`pulled ${result.reference} to ${escapeForTerminal(result.path)} (${result.size} bytes)\n`);
      }
      return EXIT.ok;
    } catch (error) {
      return report(undefined, error);
    }
  },
};

/** Runs `wasm-meta pull` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
