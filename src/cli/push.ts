import { readFile } from 'node:fs/promises';
import { WasmMetaError } from '../errors.js';
import { VALUE_KINDS } from '../fields.js';
import { pushFile } from '../node/oci.js';
import { isRepositoryName } from '../oci/reference.js';
import { type CommandSpec, UsageError } from './command.js';
import { EXIT } from './exit-codes.js';
import { REGISTRY_OPTIONS, parsePair, registryOptionsFromArgs } from './options.js';
import { writeStdout } from './output.js';
import { report } from './report.js';
import { runCommand } from './run.js';

/** `wasm-meta push`: publishes a file as a Wasm OCI artifact and prints the reference and digest. */
export const command: CommandSpec = {
  name: 'push',
  summary: 'Publish a module or component to an OCI registry, with annotations from its metadata.',
  description:
    'Annotations, first source wins: --annotation, then --annotation-file, then the metadata sections, then derived values (version from a SemVer tag, created from SOURCE_DATE_EPOCH). The same file and options give the same digest.',
  arguments: [
    { name: 'file', help: 'the .wasm file' },
    {
      name: 'reference',
      help: 'host[:port]/repository:tag[@digest] (a digest must be what is pushed), or a wkg package namespace:name@version',
    },
  ],
  options: [
    {
      name: 'annotation',
      value: 'KEY=VALUE',
      help: 'an image manifest annotation (repeatable; wins over everything else)',
      multiple: true,
      parse: (value) => parsePair(value, 'KEY=VALUE'),
    },
    {
      name: 'annotation-file',
      value: 'FILE',
      help: 'annotations in oras format: {"$manifest": {...}, "$config": {...}, "<layer title>": {...}}',
    },
    {
      name: 'created',
      value: VALUE_KINDS['date-time'].placeholder,
      help: 'the created annotation: an RFC 3339 date-time, or "now" (not reproducible)',
    },
    { name: 'strict', help: 'fail if a metadata section is invalid instead of skipping its annotation' },
    {
      name: 'mount-from',
      value: 'REPOSITORY',
      help: 'a repository of the same registry that has the layer: mount it from there instead of uploading (repeatable)',
      multiple: true,
      parse: parseRepositoryName,
    },
    {
      name: 'force',
      help: 'push a wkg package even if its version section is not the version it is pushed as (wkg refuses that)',
    },
    {
      name: 'sbom',
      help: 'also attach a CycloneDX SBOM of the file, built from its metadata, as an OCI 1.1 referrer (see wasm-meta sbom)',
    },
    { name: 'json', help: 'print one JSON document: the reference, the digest, the image manifest, the annotations' },
    ...REGISTRY_OPTIONS,
  ],
  examples: [
    ['push dist/app.wasm localhost:5000/acme/app:1.2.0', 'push to a local registry'],
    [
      'push dist/app.wasm ghcr.io/acme/app:1.2.0 -u acme --password-stdin <<<"$TOKEN"',
      'push to ghcr.io, reproducibly with SOURCE_DATE_EPOCH set',
    ],
    ['push dist/app.wasm localhost:5000/acme/app:1.2.0 --json', 'push, and give a script the digest'],
    ['push dist/app.wasm localhost:5000/acme/app:1.2.0 --sbom', 'push, and attach an SBOM of the component to it'],
  ],
  async run(args) {
    const [file, reference] = args.positionals as [string, string];
    try {
      const options = await registryOptionsFromArgs(args);
      const annotationFile = await readAnnotationFile(args.value('annotation-file'));
      const created = args.value('created');
      const result = await pushFile(file, reference, {
        ...options,
        explicit: { imageManifest: args.all<[string, string]>('annotation'), file: annotationFile },
        ...(created === undefined ? {} : { created }),
        strict: args.flag('strict'),
        mountFrom: args.all<string>('mount-from'),
        force: args.flag('force'),
        sbom: args.flag('sbom'),
      });
      if (args.flag('json')) {
        const manifest = JSON.parse(result.imageManifest) as { layers: [{ size: number }] };
        const { digest, annotations, skipped, mounted, sbom } = result;
        const layer = manifest.layers[0];
        const pushed = {
          file,
          reference: result.reference,
          digest,
          size: layer.size,
          layer,
          annotations,
          manifest,
          skipped,
          mounted,
          ...(sbom === undefined ? {} : { sbom }),
        };
        await writeStdout(`${JSON.stringify(pushed)}\n`);
      } else {
        const sbom = result.sbom === undefined ? '' : `sbom ${result.sbom.digest} (${result.sbom.artifactType})\n`;
        await writeStdout(`pushed ${result.reference.split('@')[0]}\ndigest ${result.digest}\n${sbom}`);
      }
      return EXIT.ok;
    } catch (error) {
      return report(file, error);
    }
  },
};

/** A repository name as the distribution spec allows it (`acme/hello`), without the registry. */
function parseRepositoryName(value: string): string {
  if (!isRepositoryName(value)) {
    throw new UsageError(
      `expected a repository of the same registry, such as acme/hello, not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

async function readAnnotationFile(path: string | undefined): Promise<unknown> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WasmMetaError('io', `${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new WasmMetaError('invalid-annotation', `${path}: not JSON: ${(error as Error).message}`);
  }
}

/** Runs `wasm-meta push` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
