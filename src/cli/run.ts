import { WasmMetaError } from '../errors.js';
import { escapeForTerminal } from '../format/escape.js';
import { type CommandSpec, UsageError, parseCommandLine, renderHelp } from './command.js';
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
      process.stderr.write(
        `wasm-meta ${spec.name}: ${escapeForTerminal(error.message)}\n(run "wasm-meta ${spec.name} --help" for usage)\n`,
      );
      return EXIT.usage;
    }
    if (error instanceof WasmMetaError) return report(undefined, error);
    return reportInternalError(error);
  }
}

/** Reports a bug: what went wrong, without a stack trace unless `WASM_META_DEBUG` is set. */
export function reportInternalError(error: unknown): number {
  const detail =
    process.env['WASM_META_DEBUG'] && error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `wasm-meta: internal error: ${escapeForTerminal(detail, true)}\n(this is a bug in wasm-meta; please report it, with WASM_META_DEBUG=1 for the details)\n`,
  );
  return EXIT.internal;
}
