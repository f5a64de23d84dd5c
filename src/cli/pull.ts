import { pullToFile } from '../node/oci.js';
import { escapeForTerminal } from '../format/escape.js';
import { EXIT } from './exit-codes.js';
import { writeStdout } from './output.js';
import { registryOptions } from './registry.js';
import type { RegistryFlags } from './registry-options.js';
import { report } from './report.js';

/** `wasm-meta pull`: downloads a Wasm artifact, checking every digest, and writes it atomically. */
export async function runPull(
  reference: string,
  flags: RegistryFlags & { output?: string; verify?: boolean },
): Promise<number> {
  try {
    const options = await registryOptions(flags);
    const result = await pullToFile(reference, {
      ...options,
      ...(flags.output === undefined ? {} : { output: flags.output }),
      verify: flags.verify === true,
    });
    for (const warning of result.warnings) process.stderr.write(`warning: ${escapeForTerminal(warning)}\n`);
    await writeStdout(`pulled ${result.reference} to ${escapeForTerminal(result.path)} (${result.size} bytes)\n`);
    return EXIT.ok;
  } catch (error) {
    return report(undefined, error);
  }
}
