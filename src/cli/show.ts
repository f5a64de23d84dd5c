import { WasmMetaError } from '../errors.js';
import { escapeForTerminal } from '../format/escape.js';
import { renderShowJson } from '../format/show-json.js';
import { showTables } from '../format/show-table.js';
import { diagnosticsOf } from '../metadata.js';
import { EXIT } from './exit-codes.js';
import { UsageError, describeInputError, readInputMetadata } from './input.js';
import { writeStdout } from './output.js';

/** Characters of table text written at a time. */
const OUTPUT_BATCH = 256 * 1024;

/** Options of `wasm-meta show`. */
export interface ShowOptions {
  json: boolean;
  strict: boolean;
}

/** `wasm-meta show`: prints the metadata tree as tables or JSON; resolves to the exit code. */
export async function runShow(file: string, options: ShowOptions): Promise<number> {
  let tree;
  try {
    tree = await readInputMetadata(file, { strict: options.strict });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`wasm-meta show: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof WasmMetaError) {
      process.stderr.write(`wasm-meta: error: ${escapeForTerminal(describeInputError(file, error))}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  if (options.json) {
    await writeStdout(renderShowJson(tree));
  } else {
    for (const d of diagnosticsOf(tree)) {
      process.stderr.write(
        `warning: 0x${d.offset.toString(16)}: ${escapeForTerminal(d.section)}: ${escapeForTerminal(d.message)}\n`,
      );
    }
    // Written in batches as rendered: a file of thousands of modules gives megabytes of tables.
    let batch = '';
    for (const table of showTables(tree)) {
      batch += table;
      if (batch.length >= OUTPUT_BATCH) {
        await writeStdout(batch);
        batch = '';
      }
    }
    await writeStdout(batch);
  }
  return EXIT.ok;
}
