import { escapeForTerminal } from '../format/escape.js';

/** How every error message of the command line starts, usage errors and internal errors included. */
export const ERROR_PREFIX = 'wasm-meta: error: ';

/**
 * Prints an error on standard error, each of its lines starting with `wasm-meta: error:`, so
 * that a script or a person can tell an error from a warning or a report line by its start.
 * Text that comes from a file or a server is escaped, so that it cannot rewrite the terminal.
 */
export function printError(message: string): void {
  const lines = escapeForTerminal(message, true).split('\n');
  process.stderr.write(lines.map((line) => `${ERROR_PREFIX}${line}\n`).join(''));
}
