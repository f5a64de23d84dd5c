import { readFile } from 'node:fs/promises';
import { WasmMetaError } from '../errors.js';
import { pushFile } from '../node/oci.js';
import { EXIT } from './exit-codes.js';
import { writeStdout } from './output.js';
import { registryOptions } from './registry.js';
import type { RegistryFlags } from './registry-options.js';
import { report } from './report.js';

/** Options of `wasm-meta push`. */
export interface PushFlags extends RegistryFlags {
  annotation?: Array<[string, string]>;
  annotationFile?: string;
  created?: string;
  strict?: boolean;
}

/** `wasm-meta push`: publishes a file as a Wasm OCI artifact and prints the reference and digest. */
export async function runPush(file: string, reference: string, flags: PushFlags): Promise<number> {
  try {
    const options = await registryOptions(flags);
    let annotationFile: unknown;
    if (flags.annotationFile !== undefined) {
      let text: string;
      try {
        text = await readFile(flags.annotationFile, 'utf8');
      } catch (error) {
        throw new WasmMetaError('io', `${flags.annotationFile}: ${(error as Error).message}`);
      }
      try {
        annotationFile = JSON.parse(text);
      } catch (error) {
        throw new WasmMetaError('invalid-annotation', `${flags.annotationFile}: not JSON: ${(error as Error).message}`);
      }
    }
    const result = await pushFile(file, reference, {
      ...options,
      explicit: { imageManifest: flags.annotation ?? [], file: annotationFile },
      ...(flags.created === undefined ? {} : { created: flags.created }),
      strict: flags.strict === true,
    });
    await writeStdout(`pushed ${result.reference.split('@')[0]}\ndigest ${result.digest}\n`);
    return EXIT.ok;
  } catch (error) {
    return report(file, error);
  }
}
