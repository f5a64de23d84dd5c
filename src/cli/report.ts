import { WasmMetaError } from '../errors.js';
import { escapeForTerminal } from '../format/escape.js';
import { UsageError } from './command.js';
import { printError } from './error-line.js';
import { EXIT } from './exit-codes.js';
import { describeInputError } from './input.js';

/** Error kinds whose message already says where the problem is (a file, a flag, a registry). */
const SELF_DESCRIBING = new Set<WasmMetaError['code']>([
  'io',
  'invalid-package-manifest',
  'invalid-reference',
  'invalid-annotation',
  'registry',
  'network',
  'unauthorized',
  'digest-mismatch',
  'invalid-artifact',
  'metadata-mismatch',
  'insecure',
]);

/**
 * Prints an error on standard error and returns the exit code: 2 for usage errors, 3 for
 * metadata that disagrees with what it was checked against, 1 for other bad input. Errors about the input file are prefixed with its name; bad values name their flag.
 * Anything else is a bug, which the caller reports as an internal error.
 */
export function report(file: string | undefined, error: unknown): number {
  if (error instanceof UsageError) throw error;
  if (error instanceof WasmMetaError) {
    printError(errorMessage(file, error));
    return error.code === 'metadata-mismatch' ? EXIT.mismatch : EXIT.badInput;
  }
  throw error;
}

/** The message that {@link report} prints for an error (without `wasm-meta: error:`). */
export function errorMessage(file: string | undefined, error: WasmMetaError): string {
  if (error.code === 'invalid-edit') return `--${error.message}`;
  return SELF_DESCRIBING.has(error.code) || file === undefined ? error.message : describeInputError(file, error);
}

/** Prints a warning (or a note) on standard error. */
export function warn(message: string, kind: 'warning' | 'note' = 'warning'): void {
  process.stderr.write(`${kind}: ${escapeForTerminal(message)}\n`);
}

/** Prints, on standard error, what reading a package manifest said: its warnings, then its notes. */
export function reportPackageManifest(said: { warnings: readonly string[]; notes: readonly string[] }): void {
  for (const warning of said.warnings) warn(warning);
  for (const note of said.notes) warn(note, 'note');
}
