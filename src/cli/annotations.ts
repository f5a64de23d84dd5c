import { annotationsFor, orasAnnotationFile, sortKeys } from '../oci/annotations.js';
import { escapeForTerminal } from '../format/escape.js';
import { readInputMetadata } from './input.js';
import { EXIT } from './exit-codes.js';
import { writeStdout } from './output.js';
import { report } from './report.js';

/** `wasm-meta annotations`: the OCI annotations the outermost binary's sections give. */
export async function runAnnotations(
  file: string,
  flags: { format?: 'json' | 'oras'; strict?: boolean },
): Promise<number> {
  try {
    const binary = await readInputMetadata(file, {});
    const { imageManifest, warnings } = annotationsFor({
      binary,
      layerTitle: 'unused.wasm',
      strict: flags.strict === true,
    });
    for (const warning of warnings) process.stderr.write(`warning: ${escapeForTerminal(warning)}\n`);
    await writeStdout(
      flags.format === 'oras'
        ? orasAnnotationFile(imageManifest)
        : `${JSON.stringify(sortKeys(imageManifest), null, 2)}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    return report(file, error);
  }
}
