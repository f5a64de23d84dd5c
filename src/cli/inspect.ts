import { escapeForTerminal } from '../format/escape.js';
import { formatSize } from '../format/size.js';
import { renderTable } from '../format/table.js';
import { annotationOf } from '../fields.js';
import { inspectReference } from '../node/oci.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { REGISTRY_OPTIONS, registryOptionsFromArgs } from './options.js';
import { outputWidth, writeStdout } from './output.js';
import { report } from './report.js';
import { runCommand } from './run.js';

/** `wasm-meta inspect`: the image manifest, its annotations and the config, without the layer. */
export const command: CommandSpec = {
  name: 'inspect',
  summary: 'Show the image manifest, annotations and config of an artifact, without downloading it.',
  description: 'Also counts what is attached to it (OCI 1.1 referrers, which the referrers command lists).',
  arguments: [
    {
      name: 'reference',
      help: 'host[:port]/repository[:tag|@digest], or a wkg package namespace:name[@version]',
    },
  ],
  options: [
    {
      name: 'json',
      help: 'print one JSON document: the image manifest, config, layer, annotations and referrers count',
    },
    ...REGISTRY_OPTIONS,
  ],
  examples: [
    ['inspect ghcr.io/acme/app:1.2.0', 'the annotations and config of a pushed component'],
    ['inspect ghcr.io/acme/app:1.2.0 --json', 'the same as JSON, for scripts'],
  ],
  async run(args) {
    const reference = args.positionals[0] as string;
    try {
      const result = await inspectReference(reference, await registryOptionsFromArgs(args));
      for (const warning of result.warnings) process.stderr.write(`warning: ${escapeForTerminal(warning)}\n`);
      if (args.flag('json')) {
        const { digest, imageManifest: manifest, config, layer, annotations, referrers } = result;
        await writeStdout(
          `${JSON.stringify({ reference: result.reference, digest, manifest, config, layer, annotations, referrers })}\n`,
        );
        return EXIT.ok;
      }
      const config = (result.config ?? {}) as Record<string, unknown>;
      const component = config['component'] as { exports?: string[]; imports?: string[] } | null | undefined;
      const cell = (value: unknown): string =>
        escapeForTerminal(typeof value === 'string' ? value : JSON.stringify(value ?? null), true);
      const rows: string[][] = [
        ['reference', cell(result.reference)],
        ['layer', `${cell(result.layer.mediaType)} ${formatSize(result.layer.size)} ${result.layer.digest}`],
        ['layer title', cell(result.layer.annotations?.[annotationOf('name')] ?? '-')],
        ['created', cell(config['created'])],
        ['author', cell(config['author'])],
        ['os', cell(config['os'])],
        ['referrers', result.referrers === null ? '?' : String(result.referrers)],
      ];
      if (component) {
        rows.push(['exports', cell((component.exports ?? []).join('\n') || '-')]);
        rows.push(['imports', cell((component.imports ?? []).join('\n') || '-')]);
      }
      for (const [key, value] of Object.entries(result.annotations)) rows.push([cell(key), cell(value)]);
      // Digests and URLs are never broken across lines, so that they can be copied.
      await writeStdout(`${renderTable(['KEY', 'VALUE'], rows, { width: outputWidth(100), keepWords: true })}\n`);
      return EXIT.ok;
    } catch (error) {
      return report(undefined, error);
    }
  },
};

/** Runs `wasm-meta inspect` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
