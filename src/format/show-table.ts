import { TEXT_FIELDS } from '../fields.js';
import type { Producers, WasmBinary } from '../metadata.js';
import { binariesOf, binariesWithPaths, formatNestedPath } from '../metadata.js';
import { escapeForTerminal } from './escape.js';
import { formatShare, formatSize } from './size.js';
import { type Alignment, tableChunks } from './table.js';

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
 * The text of {@link renderShowTables} in pieces (a row of the summary, a details table), so
 * that a caller can write it out as it comes: a component of thousands of modules gives
 * megabytes of tables, which are never held whole.
 */
export function* showTables(root: WasmBinary, options: ShowTableOptions = {}): Generator<string, void, undefined> {
  yield* summaryChunks(root, options.paths === true);
  yield '\n';
  for (const [binary, path] of binariesWithPaths(root)) {
    yield* detailsChunks(binary, options.paths === true ? formatNestedPath(path) : null);
    yield '\n';
  }
}

/** The summary table a row at a time: its rows are produced from the tree on each pass, never held. */
function summaryChunks(root: WasmBinary, paths: boolean): Generator<string, void, undefined> {
  let fileEnd = 0;
  for (const binary of binariesOf(root)) fileEnd = Math.max(fileEnd, binary.range.end);
  const header = ['KIND', 'NAME', 'SIZE', 'SIZE%', 'LANGUAGES', 'PARENT'];
  if (paths) header.push('NESTED');
  // With paths the output is wasm-meta's own, so no name or path is broken across lines.
  return tableChunks(header, () => summaryRows(root, fileEnd, paths), {
    width: TABLE_WIDTH,
    align: SUMMARY_ALIGN,
    keepWords: paths,
  });
}

/** The summary rows in pre-order; binaries without a name are numbered `unknown(n)` in that order. */
function* summaryRows(root: WasmBinary, fileEnd: number, paths: boolean): Generator<string[], void, undefined> {
  let unknown = 0;
  // Depth-first with an explicit stack: each entry is a binary, its parent's name and its path.
  const stack: [WasmBinary, string, readonly number[]][] = [[root, '<root>', []]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [binary, parent, path] = entry;
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
    yield row;
    for (let index = binary.children.length - 1; index >= 0; index--) {
      stack.push([binary.children[index] as WasmBinary, name, [...path, index]]);
    }
  }
}

/** The text fields in the order of the details table (wasm-tools' rows, not its JSON keys). */
const DETAIL_FIELDS = [...TEXT_FIELDS].sort((a, b) => a.showRank - b.showRank).map((field) => field.key);

/**
 * The details table of a binary a row at a time; `nested`, when given, is its `--nested` path.
 * A component's table has a row per child, thousands for some, so it is not held whole either.
 */
function detailsChunks(binary: WasmBinary, nested: string | null): Generator<string, void, undefined> {
  return tableChunks(['KIND', 'VALUE'], () => detailsRows(binary, nested), { width: TABLE_WIDTH });
}

function* detailsRows(binary: WasmBinary, nested: string | null): Generator<string[], void, undefined> {
  yield ['name', binary.name === null ? '<unknown>' : cell(binary.name)];
  yield ['kind', binary.kind];
  yield ['range', `0x${binary.range.start.toString(16)}..0x${binary.range.end.toString(16)}`];
  if (nested !== null) yield ['nested', nested];
  for (const field of DETAIL_FIELDS) {
    const value = binary[field];
    if (value !== null) yield [field, cell(value)];
  }
  if (binary.producers !== null) yield* producerRows(binary.producers);
  for (const child of binary.children) {
    yield ['child', `${child.name === null ? '<unknown>' : cell(child.name)} [${child.kind}]`];
  }
  for (const dependency of binary.dependencies?.packages ?? []) {
    yield ['dependency', `${cell(dependency.name)} [${cell(dependency.version)}]`];
  }
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
