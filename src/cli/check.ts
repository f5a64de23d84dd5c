import { type CheckField, type CheckResult, checkMetadata } from '../check.js';
import { escapeForTerminal } from '../format/escape.js';
import { renderTable } from '../format/table.js';
import type { ManifestKind } from '../manifest/kinds.js';
import { report } from './report.js';
import { readInputMetadata } from './input.js';
import { EXIT } from './exit-codes.js';
import { manifestForOptions } from './manifest-import.js';
import { writeStdout } from './output.js';

/** Options of `wasm-meta check`. */
export interface CheckOptions {
  from?: string;
  fromKind?: ManifestKind;
  require?: CheckField[];
  json?: boolean;
}

/**
 * `wasm-meta check`: compares the outermost binary's metadata with a manifest and required
 * fields, prints a table (or JSON), and exits 1 if anything is missing, different or invalid.
 */
export async function runCheck(file: string, options: CheckOptions): Promise<number> {
  let result: CheckResult;
  try {
    const manifest = await manifestForOptions(options);
    const binary = await readInputMetadata(file, {});
    result = checkMetadata(binary, manifest?.edit, options.require ?? []);
  } catch (error) {
    return report(file, error);
  }
  if (options.json) {
    await writeStdout(JSON.stringify({ file, manifest: options.from ?? null, ok: result.ok, fields: result.rows }));
  } else {
    const cell = (value: string | null): string => (value === null ? '-' : escapeForTerminal(value, true));
    const rows = result.rows.map((row) => [
      row.required ? `${row.field} (required)` : row.field,
      cell(row.binary),
      cell(row.manifest),
      row.status,
    ]);
    const table =
      rows.length === 0
        ? 'no metadata to check\n'
        : `${renderTable(['FIELD', 'BINARY', 'MANIFEST', 'STATUS'], rows, { width: 80 })}\n`;
    await writeStdout(
      `${table}${result.ok ? 'ok' : 'FAILED'}: ${escapeForTerminal(file === '-' ? '<stdin>' : file)}\n`,
    );
  }
  return result.ok ? EXIT.ok : EXIT.badInput;
}
