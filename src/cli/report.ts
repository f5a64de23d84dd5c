import { type WasmMetaError, isWasmMetaError } from '../errors.js';
import { escapeForTerminal } from '../format/escape.js';
import { UsageError, describeInputError } from './input.js';
import { EXIT } from './exit-codes.js';

/** Error kinds whose message already says where the problem is (a file, a flag, a registry). */
const SELF_DESCRIBING = new Set<WasmMetaError['code']>([
  'io',
  'invalid-manifest',
  'invalid-reference',
  'invalid-annotation',
  'registry',
  'unauthorized',
  'digest-mismatch',
  'invalid-artifact',
  'insecure',
]);

/**
 * Prints an error on standard error and returns the exit code: 2 for usage errors, 1 for bad
 * input. Errors about the input file are prefixed with its name; bad values name their flag.
 */
export function report(file: string | undefined, error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`wasm-meta: ${error.message}\n`);
    return EXIT.usage;
  }
  if (isWasmMetaError(error)) {
    const message =
      error.code === 'invalid-edit'
        ? `--${error.message}`
        : SELF_DESCRIBING.has(error.code) || file === undefined
          ? error.message
          : describeInputError(file, error);
    process.stderr.write(`wasm-meta: error: ${escapeForTerminal(message, true)}\n`);
    return EXIT.badInput;
  }
  throw error;
}
