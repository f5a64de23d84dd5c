import { mergeEdits, normalizeEdit } from '../edit/edit.js';
import { applyEdit } from '../edit/rewrite.js';
import { escapeForTerminal } from '../format/escape.js';
import { type EditOptionValues, editFromOptions } from './edit-options.js';
import { readInputBytes } from './input.js';
import { report } from './report.js';
import { EXIT } from './exit-codes.js';
import { outputTarget, writeOutput } from './output.js';
import type { ManifestKind } from '../manifest/kinds.js';

export { plainAdd } from './fast-args.js';

/** Options of `wasm-meta add` besides the edit itself. */
export interface AddOptions {
  output?: string;
  inPlace?: boolean;
  strict?: boolean;
  from?: string;
  fromKind?: ManifestKind;
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
    const explicit = normalizeEdit(editFromOptions(values));
    const manifest =
      values.from === undefined
        ? undefined
        : await (await import('./manifest-import.js')).manifestForOptions(values, explicit);
    edit = manifest === undefined ? explicit : normalizeEdit(mergeEdits(manifest.edit, explicit));
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
