import type { WasmBinary } from '../metadata.js';
import { type ShowNode, showTreeOf } from './show-model.js';
import { formatShare, formatSize } from './size.js';
import type { Alignment } from './table.js';
import { TableBytes, writeTable } from './table-bytes.js';

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

const DETAILS_HEADER: readonly string[] = ['KIND', 'VALUE'];
const DETAILS_OPTIONS = { width: TABLE_WIDTH };

const decoder = new TextDecoder();

/**
 * The table output of `show`, identical to `wasm-tools metadata show` for what wasm-tools
 * can read: a summary table of every binary, then one details table per binary in pre-order,
 * each followed by a newline. The details tables add rows for the draft's fields
 * (`documentation`, `vendor`, `created`). Values are escaped for the terminal (see `escapeForTerminal`).
 */
export function renderShowTables(root: WasmBinary, options: ShowTableOptions = {}): string {
  let text = '';
  for (const bytes of showTableBytes(showTreeOf(root), options)) text += decoder.decode(bytes, { stream: true });
  return text + decoder.decode();
}

/**
 * The UTF-8 bytes of {@link renderShowTables} in batches of about 64 KiB, so that a caller can
 * write them out as they come: a component of thousands of modules gives megabytes of tables,
 * which are never held whole. Each batch is valid until the next is asked for (the memory is
 * reused), so it must be written, or copied, first.
 */
export function* showTableBytes(
  root: ShowNode,
  options: ShowTableOptions = {},
): Generator<Uint8Array, void, undefined> {
  const paths = options.paths === true;
  const out = new TableBytes();
  // Each table pauses when `out` is full, for its bytes to be taken.
  const summary = summaryTable(out, root, paths);
  while (!summary.next().done) yield out.take();
  out.newline();
  for (const { node, path } of preOrder(root)) {
    const nested = paths && path.length > 0 ? path.join('.') : null;
    const details = writeTable(out, DETAILS_HEADER, () => detailsRows(node, nested), DETAILS_OPTIONS);
    while (!details.next().done) yield out.take();
    out.newline();
    if (out.full) yield out.take();
  }
  yield out.take();
}

/** A binary met in pre-order, with its parent's entry and its nested path (valid until the next one). */
interface Visit {
  node: ShowNode;
  parent: Visit | undefined;
  /** The summary's name of the binary: its name, or `unknown(n)`. */
  name: string;
  /** The child indexes from the root; the same array, changed as the walk goes on. */
  path: number[];
  /** The next child to visit. */
  next: number;
}

/**
 * The binaries in pre-order. The stack holds one entry per level, not one per sibling: the
 * root of a large component has thousands of children, which would otherwise all wait on it
 * (and survive long enough to make V8 grow its young generation).
 */
function* preOrder(root: ShowNode): Generator<Visit, void, undefined> {
  const path: number[] = [];
  let visit: Visit | undefined = { node: root, parent: undefined, name: '', path, next: 0 };
  yield visit;
  while (visit !== undefined) {
    const node: ShowNode = visit.node;
    if (visit.next < node.children.length) {
      path.push(visit.next);
      visit = { node: node.children[visit.next++] as ShowNode, parent: visit, name: '', path, next: 0 };
      yield visit;
    } else {
      visit = visit.parent;
      path.pop();
    }
  }
}

/** The summary table: its rows are produced from the tree on each pass, never held. */
function summaryTable(out: TableBytes, root: ShowNode, paths: boolean): Generator<void, void, undefined> {
  const header = ['KIND', 'NAME', 'SIZE', 'SIZE%', 'LANGUAGES', 'PARENT'];
  if (paths) header.push('NESTED');
  // With paths the output is wasm-meta's own, so no name or path is broken across lines.
  return writeTable(out, header, () => summaryRows(root, root.end, paths), {
    width: TABLE_WIDTH,
    align: SUMMARY_ALIGN,
    keepWords: paths,
  });
}

/** The summary rows in pre-order; binaries without a name are numbered `unknown(n)` in that order. */
function* summaryRows(root: ShowNode, fileEnd: number, paths: boolean): Generator<string[], void, undefined> {
  let unknown = 0;
  for (const visit of preOrder(root)) {
    const { node } = visit;
    visit.name = node.name ?? `unknown(${unknown++})`;
    const row = [
      node.kind,
      visit.name,
      formatSize(node.end - node.start),
      formatShare(node, fileEnd),
      node.languages,
      visit.parent?.name ?? '<root>',
    ];
    if (paths) row.push(visit.path.length === 0 ? '-' : visit.path.join('.'));
    yield row;
  }
}

/** The rows of a binary's details table; `nested`, when given, is its `--nested` path. */
function detailsRows(binary: ShowNode, nested: string | null): Iterable<string[]> {
  const table = [
    ['name', binary.name ?? '<unknown>'],
    ['kind', binary.kind],
    ['range', `0x${binary.start.toString(16)}..0x${binary.end.toString(16)}`],
  ];
  if (nested !== null) table.push(['nested', nested]);
  const { rows } = binary;
  for (let i = 0; i < rows.length; i += 2) table.push([rows[i] as string, rows[i + 1] as string]);
  // A component of thousands of children has as many rows: made as they are printed, never held.
  if (binary.children.length > 16) return concatRows(table, binary);
  for (const child of binary.children) table.push(['child', `${child.name ?? '<unknown>'} [${child.kind}]`]);
  for (const dependency of binary.dependencies) table.push(['dependency', dependency]);
  return table;
}

function* concatRows(first: string[][], binary: ShowNode): Generator<string[], void, undefined> {
  yield* first;
  for (const child of binary.children) yield ['child', `${child.name ?? '<unknown>'} [${child.kind}]`];
  for (const dependency of binary.dependencies) yield ['dependency', dependency];
}
