import { escapeForTerminal } from '../format/escape.js';
import { attachFile } from '../node/attach.js';
import { type CommandSpec, UsageError } from './command.js';
import { EXIT } from './exit-codes.js';
import { REGISTRY_OPTIONS, parsePair, registryOptionsFromArgs } from './options.js';
import { writeStdout } from './output.js';
import { report } from './report.js';
import { runCommand } from './run.js';

/** `wasm-meta attach`: pushes a file as an OCI 1.1 artifact whose `subject` is a pushed manifest. */
export const command: CommandSpec = {
  name: 'attach',
  summary: 'Attach a file (an SBOM, a signature) to a pushed artifact, as an OCI 1.1 referrer.',
  description:
    'The file becomes the one layer of an image manifest with the artifact type, the empty config and the subject, pushed by digest, as oras attach lays it out. The registry lists it through its referrers API, or else through the referrers tag (sha256-<hex>) that wasm-meta updates, where oras and other clients find it too. The same file, type and annotations give the same digest: attaching them again lists nothing twice.',
  arguments: [
    {
      name: 'reference',
      help: 'what to attach to: host[:port]/repository:tag or @digest, or namespace:name[@version]',
    },
    { name: 'file', help: 'the file to attach' },
  ],
  options: [
    {
      name: 'artifact-type',
      value: 'MEDIA-TYPE',
      help: 'the artifact type (required), such as application/vnd.cyclonedx+json',
    },
    {
      name: 'media-type',
      value: 'MEDIA-TYPE',
      help: "the file's media type in the layer (default: the artifact type)",
    },
    {
      name: 'annotation',
      value: 'KEY=VALUE',
      help: "an annotation of the attached artifact's image manifest (repeatable)",
      multiple: true,
      parse: (value) => parsePair(value, 'KEY=VALUE'),
    },
    { name: 'json', help: 'print one JSON document: the artifact, its digest, the subject and the listing' },
    ...REGISTRY_OPTIONS,
  ],
  examples: [
    [
      'attach ghcr.io/acme/app:1.2.0 sbom.cdx.json --artifact-type application/vnd.cyclonedx+json',
      'attach a CycloneDX SBOM to a pushed component',
    ],
    [
      'attach localhost:5000/acme/app@sha256:… notes.txt --artifact-type text/plain --annotation com.acme.kind=notes',
      'attach a text file to a manifest by digest, with an annotation',
    ],
  ],
  async run(args) {
    const [reference, file] = args.positionals as [string, string];
    try {
      const artifactType = args.value('artifact-type');
      if (artifactType === undefined) {
        throw new UsageError('--artifact-type is required: the media type of what is attached');
      }
      const result = await attachFile(reference, file, {
        ...(await registryOptionsFromArgs(args)),
        artifactType,
        mediaType: args.value('media-type'),
        annotations: args.all<[string, string]>('annotation'),
      });
      if (args.flag('json')) {
        const { digest, subject, layer, annotations, listing, skipped } = result;
        const attached = {
          file,
          reference: result.reference,
          digest,
          artifactType,
          size: layer.size,
          layer,
          annotations,
          manifest: JSON.parse(result.manifest) as unknown,
          subject,
          listing,
          skipped,
        };
        await writeStdout(`${JSON.stringify(attached)}\n`);
      } else {
        const where =
          result.listing === 'api'
            ? 'listed by the referrers API'
            : `listed in the referrers tag ${result.listing.tag}${result.listing.alreadyListed ? ' (already there)' : ''}`;
        await writeStdout(
          `attached ${escapeForTerminal(file)} to ${result.subject.reference}\ndigest ${result.digest}\n${where}\n`,
        );
      }
      return EXIT.ok;
    } catch (error) {
      return report(file, error);
    }
  },
};

/** Runs `wasm-meta attach` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
