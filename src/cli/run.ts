import { WasmMetaError } from '../errors.js';
import { type CommandSpec, UsageError, parseCommandLine, renderHelp } from './command.js';
import { printError } from './error-line.js';
import { EXIT } from './exit-codes.js';
import { report } from './report.js';

/**
 * Runs a command with the words after its name: its help for `-h`/`--help`, a usage error
 * (exit 2) for arguments its spec does not take, else the command itself. Nothing escapes
 * as a stack trace: an unexpected exception is reported as an internal error (exit 70).
 */
export async function runCommand(spec: CommandSpec, argv: readonly string[]): Promise<number> {
  try {
    const args = parseCommandLine(spec, argv);
    if (args === 'help') {
      process.stdout.write(renderHelp(spec));
      return EXIT.ok;
    }
    return await spec.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      printError(`${error.message.replace(/\n/g, ' ')} (run "wasm-meta ${spec.name} --help" for usage)`);
      return EXIT.usage;
    }
    if (error instanceof WasmMetaError) return report(undefined, error);
    return reportInternalError(error);
  }
}

/**
 * Reports a bug: what went wrong, in one line, or with the stack (every line prefixed) when
 * `WASM_META_DEBUG` is set.
 */
export function reportInternalError(error: unknown): number {
  if (process.env['WASM_META_DEBUG'] && error instanceof Error) {
    printError(`internal error (a bug in wasm-meta; please report it): ${error.stack ?? error.message}`);
  } else {
    printError(
      `internal error: ${String(error).replace(/\n/g, ' ')} (a bug in wasm-meta; please report it, with WASM_META_DEBUG=1 for the details)`,
    );
  }
  return EXIT.internal;
}
