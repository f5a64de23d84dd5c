import { WasmMetaError } from '../errors.js';
import { VALUE_KINDS } from '../fields.js';
import { type WasmBinary, diagnosticsOf } from '../metadata.js';
import { readMetadataFromFileSync } from '../node/read-file.js';
import { hashFileBinaryRanges } from '../node/sbom.js';
import { nodeSha256 } from '../node/sha256.js';
import { writeFileAtomic } from '../node/write-file.js';
import { createdFromEpoch } from '../oci/annotations.js';
import { type ReadOptions, readMetadata } from '../read.js';
import { buildSbom } from '../sbom/cyclonedx.js';
import { type BinaryHashes, hashBinaryRanges } from '../sbom/range-hashes.js';
import { checkValue } from '../values/check.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { readInputBytes } from './input.js';
import { writeStdout } from './output.js';
import { report, warn } from './report.js';
import { runCommand } from './run.js';

/** `wasm-meta sbom`: a CycloneDX 1.6 SBOM of a module or component, from its own metadata. */
export const command: CommandSpec = {
  name: 'sbom',
  summary: 'Print a CycloneDX 1.6 SBOM of a module or component, made from its own metadata.',
  description:
    'The binary, every binary nested in it with the SHA-256 of its bytes, its producers as tools, and the crates of its .dep-v0 sections with their dependency graph. The same file gives the same bytes: the document has a timestamp only from --created or SOURCE_DATE_EPOCH.',
  arguments: [{ name: 'file', help: 'the .wasm file; - for standard input', default: '-' }],
  options: [
    { name: 'format', value: 'FORMAT', help: 'the SBOM format', choices: ['cyclonedx'], default: 'cyclonedx' },
    {
      name: 'output',
      short: 'o',
      value: 'FILE',
      help: 'write the SBOM to FILE (atomically) instead of standard output',
    },
    {
      name: 'created',
      value: VALUE_KINDS['date-time'].placeholder,
      help: 'the SBOM timestamp: an RFC 3339 date-time, or "now" (not reproducible); default: SOURCE_DATE_EPOCH, else none',
    },
    { name: 'strict', help: 'fail if a metadata section is invalid instead of leaving its field out' },
  ],
  examples: [
    ['sbom dist/app.wasm -o app.cdx.json', 'write the SBOM of app.wasm to app.cdx.json'],
    ['sbom dist/app.wasm --created 2026-01-01T00:00:00Z', 'with a timestamp (as SOURCE_DATE_EPOCH would give)'],
  ],
  async run(args) {
    const file = args.positionals[0] as string;
    try {
      const created = sbomCreated(args.value('created'), process.env);
      const readOptions = { strict: args.flag('strict') };
      const { tree, hashes } =
        file === '-' ? await readStdinHashed(readOptions) : await readFileHashed(file, readOptions);
      for (const d of diagnosticsOf(tree))
        warn(`0x${d.offset.toString(16)}: ${d.section}: ${d.message} (left out of the SBOM)`);
      const sbom = await buildSbom({ tree, hashes, sha256: nodeSha256, ...(created === undefined ? {} : { created }) });
      const output = args.value('output');
      if (output === undefined || output === '-') await writeStdout(sbom.bytes);
      else await writeFileAtomic(output, [sbom.bytes]);
      return EXIT.ok;
    } catch (error) {
      return report(file, error);
    }
  },
};

/**
 * The SBOM timestamp: `--created` (`now` for the current time), else `SOURCE_DATE_EPOCH`, else
 * none, so that a build gives the same SBOM twice.
 */
export function sbomCreated(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag === 'now') return new Date().toISOString();
  if (flag !== undefined) {
    // Checked before the file is read (buildSbom checks it too).
    const checked = checkValue('date-time', flag);
    if (typeof checked !== 'string') throw new WasmMetaError('invalid-edit', `created: ${checked.problem}`);
    return flag;
  }
  const epoch = env['SOURCE_DATE_EPOCH'];
  return epoch === undefined || epoch === '' ? undefined : createdFromEpoch(epoch);
}

/** The metadata tree of a file, read by position, and the hashes of one pass over its bytes. */
async function readFileHashed(file: string, options: ReadOptions): Promise<{ tree: WasmBinary; hashes: BinaryHashes }> {
  const tree = readMetadataFromFileSync(file, options);
  return { tree, hashes: await hashFileBinaryRanges(file, tree) };
}

/** The metadata tree and hashes of standard input, read into memory. */
async function readStdinHashed(options: ReadOptions): Promise<{ tree: WasmBinary; hashes: BinaryHashes }> {
  const bytes = await readInputBytes('-');
  const tree = readMetadata(bytes, options);
  return { tree, hashes: await hashBinaryRanges(tree, [bytes], nodeSha256) };
}

/** Runs `wasm-meta sbom` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
