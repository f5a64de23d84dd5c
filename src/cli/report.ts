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
  'not-found',
  'network',
  'unauthorized',
  'digest-mismatch',
  'invalid-artifact',
  'metadata-mismatch',
  'insecure',
]);

/** The exit code of each error kind that is not bad input (1): the table in docs/cli.md. */
const EXIT_OF_CODE: Partial<Record<WasmMetaError['code'], number>> = {
  'metadata-mismatch': EXIT.mismatch,
  unauthorized: EXIT.unauthorized,
  'not-found': EXIT.notFound,
  network: EXIT.network,
  'digest-mismatch': EXIT.digestMismatch,
  registry: EXIT.registry,
};

/** The exit code for an error of this kind (the table in docs/cli.md#exit-status). */
export function exitCodeOf(code: WasmMetaError['code']): number {
  return EXIT_OF_CODE[code] ?? EXIT.badInput;
}

/**
 * Prints an error on standard error and returns its exit code (docs/cli.md#exit-status): 3
 * for metadata that disagrees, 4-8 for the ways a registry fails, 1 for other bad input.
 * Errors about the input file are prefixed with its name; bad values name their flag.
 * Usage errors are rethrown for the command runner (2); anything else is a bug, which the
 * caller reports as an internal error.
 */
export function report(file: string | undefined, error: unknown): number {
  if (error instanceof UsageError) throw error;
  if (error instanceof WasmMetaError) {
    printError(errorMessage(file, error));
    return exitCodeOf(error.code);
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
