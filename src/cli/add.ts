import { normalizeEdit } from '../edit/edit.js';
import { applyEdit } from '../edit/rewrite.js';
import { WasmMetaError } from '../errors.js';
import { escapeForTerminal } from '../format/escape.js';
import { type EditOptionValues, editFromOptions } from './edit-options.js';
import { UsageError, describeInputError, readInputBytes } from './input.js';
import { EXIT } from './main.js';
import { outputTarget, writeOutput } from './output.js';

/** Options of `wasm-meta add` besides the edit itself. */
export interface AddOptions {
  output?: string;
  inPlace?: boolean;
  strict?: boolean;
}

/**
 * `wasm-meta add`: checks every value, reads the input, applies the edit and writes the result
 * atomically (or to standard output). Resolves to the exit code.
 */
export async function runAdd(file: string, values: EditOptionValues & AddOptions): Promise<number> {
  let target;
  let edit;
  try {
    target = outputTarget(file, values);
    edit = normalizeEdit(editFromOptions(values));
  } catch (error) {
    return report(file, error);
  }
  try {
    const bytes = await readInputBytes(file);
    const result = applyEdit(bytes, edit, { strict: values.strict === true });
    for (const line of result.migration) process.stderr.write(`${escapeForTerminal(line)}\n`);
    if (target.kind === 'in-place' && !result.changed) return EXIT.ok;
    await writeOutput(target, result.chunks);
    return EXIT.ok;
  } catch (error) {
    return report(file, error);
  }
}

/** Prints an error the way every editing command does and returns its exit code. */
export function report(file: string, error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`wasm-meta: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof WasmMetaError) {
    // Bad values name their flag: "--licenses: ...".
    const message = error.code === 'invalid-edit' ? `--${error.message}` : describeInputError(file, error);
    process.stderr.write(`wasm-meta: error: ${escapeForTerminal(message)}\n`);
    return EXIT.badInput;
  }
  throw error;
}
