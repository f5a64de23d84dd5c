// The in-memory renderer that show used before it streamed its tables (commit 2ec606a), kept
// verbatim as a test oracle: the streamed output must stay byte-identical to it.
import { TEXT_FIELDS } from '../../../src/fields.js';
import type { Producers, WasmBinary } from '../../../src/metadata.js';
import { binariesOf, binariesWithPaths, formatNestedPath } from '../../../src/metadata.js';
import { escapeForTerminal } from '../../../src/format/escape.js';
import { formatShare, formatSize } from '../../../src/format/size.js';
import { type Alignment, renderTable } from './table.js';

/** Table width that wasm-tools uses, whatever the terminal. */
const TABLE_WIDTH = 80;
const SUMMARY_ALIGN: readonly Alignment[] = ['left', 'left', 'right', 'right', 'left', 'left', 'left'];

/** Options of {@link renderShowTables}. */
export interface ShowTableOptions {
  /**
   * Also show each nested binary's path, the argument of `--nested` that selects it: a
   * `NESTED` column in the summary (`-` for the outermost binary; no word in that table is
   * broken across lines, even if it grows wider) and a `nested` row in its details. Off by
   * default, which keeps the output identical to wasm-tools'.
   */
  paths?: boolean;
}

/**
 * The table output of `show`, identical to `wasm-tools metadata show` for what wasm-tools
 * can read: a summary table of every binary, then one details table per binary in pre-order,
 * each followed by a newline. The details tables add rows for the draft's fields
 * (`documentation`, `vendor`, `created`). Values are escaped for the terminal (see `escapeForTerminal`).
 */
export function renderShowTables(root: WasmBinary, options: ShowTableOptions = {}): string {
  return Array.from(showTables(root, options)).join('');
}

/**
 * The tables of {@link renderShowTables} one at a time, each with its newline, so that a
 * caller can write them out as they come instead of holding the whole text.
 */
export function* showTables(root: WasmBinary, options: ShowTableOptions = {}): Generator<string, void, undefined> {
  yield `${renderSummary(root, options.paths === true)}\n`;
  for (const [binary, path] of binariesWithPaths(root)) {
    yield `${renderDetails(binary, options.paths === true ? formatNestedPath(path) : null)}\n`;
  }
}

function renderSummary(root: WasmBinary, paths: boolean): string {
  let unknown = 0;
  const rows: string[][] = [];
  const fileEnd = Math.max(...Array.from(binariesOf(root), (b) => b.range.end));
  const visit = (binary: WasmBinary, parent: string, path: readonly number[]): void => {
    const name = binary.name === null ? `unknown(${unknown++})` : cell(binary.name);
    const languages = binary.producers?.get('language');
    const row = [
      binary.kind,
      name,
      formatSize(binary.range.end - binary.range.start),
      formatShare(binary.range, fileEnd),
      languages === undefined ? '-' : Array.from(languages.keys(), cell).join(', '),
      parent,
    ];
    if (paths) row.push(formatNestedPath(path) ?? '-');
    rows.push(row);
    binary.children.forEach((child, index) => visit(child, name, [...path, index]));
  };
  visit(root, '<root>', []);
  const header = ['KIND', 'NAME', 'SIZE', 'SIZE%', 'LANGUAGES', 'PARENT'];
  if (paths) header.push('NESTED');
  // With paths the output is wasm-meta's own, so no name or path is broken across lines.
  return renderTable(header, rows, { width: TABLE_WIDTH, align: SUMMARY_ALIGN, keepWords: paths });
}

/** The text fields in the order of the details table (wasm-tools' rows, not its JSON keys). */
const DETAIL_FIELDS = [...TEXT_FIELDS].sort((a, b) => a.showRank - b.showRank).map((field) => field.key);

/** The details table of a binary; `nested`, when given, is its `--nested` path. */
function renderDetails(binary: WasmBinary, nested: string | null): string {
  const rows: string[][] = [
    ['name', binary.name === null ? '<unknown>' : cell(binary.name)],
    ['kind', binary.kind],
    ['range', `0x${binary.range.start.toString(16)}..0x${binary.range.end.toString(16)}`],
  ];
  if (nested !== null) rows.push(['nested', nested]);
  for (const field of DETAIL_FIELDS) {
    const value = binary[field];
    if (value !== null) rows.push([field, cell(value)]);
  }
  if (binary.producers !== null) rows.push(...producerRows(binary.producers));
  for (const child of binary.children) {
    rows.push(['child', `${child.name === null ? '<unknown>' : cell(child.name)} [${child.kind}]`]);
  }
  for (const dependency of binary.dependencies?.packages ?? []) {
    rows.push(['dependency', `${cell(dependency.name)} [${cell(dependency.version)}]`]);
  }
  return renderTable(['KIND', 'VALUE'], rows, { width: TABLE_WIDTH });
}

/** One row per producer value: `language` first, then the other fields in byte order. */
function producerRows(producers: Producers): string[][] {
  const fields = Array.from(producers.keys()).sort((a, b) =>
    a === 'language' ? -1 : b === 'language' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const rows: string[][] = [];
  for (const field of fields) {
    for (const [name, version] of producers.get(field) ?? []) {
      rows.push([cell(field), version === '' ? cell(name) : `${cell(name)} [${cell(version)}]`]);
    }
  }
  return rows;
}

function cell(text: string): string {
  return escapeForTerminal(text, true);
}
