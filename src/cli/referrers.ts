import { escapeForTerminal } from '../format/escape.js';
import { formatSize } from '../format/size.js';
import { renderTable } from '../format/table.js';
import { referrersOf } from '../node/attach.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { REGISTRY_OPTIONS, registryOptionsFromArgs } from './options.js';
import { outputWidth, writeStdout } from './output.js';
import { report } from './report.js';
import { runCommand } from './run.js';

/** `wasm-meta referrers`: what is attached to a pushed manifest (OCI 1.1 referrers). */
export const command: CommandSpec = {
  name: 'referrers',
  summary: 'List what is attached to a pushed artifact (OCI 1.1 referrers: SBOMs, signatures).',
  description:
    "From the registry's referrers API, or else from the referrers tag (sha256-<hex>) that wasm-meta attach, oras and cosign keep.",
  arguments: [
    {
      name: 'reference',
      help: 'host[:port]/repository[:tag|@digest], or a wkg package namespace:name[@version]',
    },
  ],
  options: [
    { name: 'artifact-type', value: 'MEDIA-TYPE', help: 'only the referrers of this artifact type' },
    { name: 'json', help: 'print one JSON document: the subject and the referrers, each a descriptor' },
    ...REGISTRY_OPTIONS,
  ],
  examples: [
    ['referrers ghcr.io/acme/app:1.2.0', 'what is attached to a pushed component'],
    [
      'referrers ghcr.io/acme/app:1.2.0 --artifact-type application/vnd.cyclonedx+json --json',
      'its CycloneDX SBOMs, as JSON for scripts',
    ],
  ],
  async run(args) {
    const reference = args.positionals[0] as string;
    try {
      const result = await referrersOf(reference, {
        ...(await registryOptionsFromArgs(args)),
        artifactType: args.value('artifact-type'),
      });
      const source = result.source === 'api' ? 'api' : { tag: result.source.tag };
      if (args.flag('json')) {
        const { subject, referrers } = result;
        const listed = { reference: subject.reference, digest: subject.digest, subject, referrers, source };
        await writeStdout(`${JSON.stringify(listed)}\n`);
        return EXIT.ok;
      }
      const count = result.referrers.length;
      const from = source === 'api' ? 'the referrers API' : `the referrers tag ${source.tag}`;
      let text = `${result.subject.reference}: ${count} referrer${count === 1 ? '' : 's'} (from ${from})\n`;
      if (count > 0) {
        const cell = (value: string): string => escapeForTerminal(value, true);
        const rows = result.referrers.map((r) => [
          cell(r.artifactType ?? '-'),
          formatSize(r.size),
          r.digest,
          cell(
            Object.entries(r.annotations ?? {})
              .map(([key, value]) => `${key}=${value}`)
              .join('\n') || '-',
          ),
        ]);
        // Digests are never broken across lines, so that they can be copied.
        text += `${renderTable(['ARTIFACT TYPE', 'SIZE', 'DIGEST', 'ANNOTATIONS'], rows, { width: outputWidth(160), keepWords: true })}\n`;
      }
      await writeStdout(text);
      return EXIT.ok;
    } catch (error) {
      return report(undefined, error);
    }
  },
};

/** Runs `wasm-meta referrers` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
