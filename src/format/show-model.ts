import { TEXT_FIELDS } from '../fields.js';
import type { BinaryKind, Producers, WasmBinary } from '../metadata.js';
import { PRODUCERS_FIELDS } from '../sections/producers.js';
import { escapeForTerminal } from './escape.js';

/**
 * What the tables of `show` print of one binary, and nothing else: its cells, already escaped
 * for the terminal. A few small objects per binary instead of a `WasmBinary`'s dozen, so that
 * the command can keep a tree of tens of thousands of binaries in a few megabytes.
 */
export interface ShowNode {
  readonly kind: BinaryKind;
  readonly start: number;
  readonly end: number;
  /** The name cell, or null for a binary without a name. */
  readonly name: string | null;
  /** The summary's LANGUAGES cell. */
  readonly languages: string;
  /** The details rows after `range` (and `nested`) and before the children: key, value, key, value… */
  readonly rows: readonly string[];
  /** The values of the `dependency` rows, after the children. */
  readonly dependencies: readonly string[];
  readonly children: readonly ShowNode[];
}

const NONE: readonly never[] = [];

/** The text fields in the order of the details table (wasm-tools' rows, not its JSON keys). */
const DETAIL_FIELDS = [...TEXT_FIELDS].sort((a, b) => a.showRank - b.showRank).map((field) => field.key);

/**
 * The cells of `binary`, whose children are given as nodes already. With `shared`, equal
 * lists of cells are one array (and equal cells one string) across the binaries it is passed
 * for: the thousands of modules of a large component often hold the same few values.
 */
export function showNodeOf(binary: WasmBinary, children: readonly ShowNode[], shared?: Map<string, unknown>): ShowNode {
  let rows: string[] | undefined;
  for (const field of DETAIL_FIELDS) {
    const value = binary[field];
    if (value !== null) (rows ??= []).push(field, cell(value));
  }
  if (binary.producers !== null) rows = producerRows(binary.producers, rows ?? []);
  const languages = binary.producers?.get('language');
  const packages = binary.dependencies?.packages ?? NONE;
  return {
    kind: binary.kind,
    start: binary.range.start,
    end: binary.range.end,
    name: binary.name === null ? null : cell(binary.name),
    languages: languages === undefined ? '-' : sharedValue(shared, Array.from(languages.keys(), cell).join(', ')),
    rows: rows === undefined ? NONE : sharedValue(shared, rows, rows.join('\0')),
    dependencies:
      packages.length === 0
        ? NONE
        : packages.map((dependency) => `${cell(dependency.name)} [${cell(dependency.version)}]`),
    children: children.length === 0 ? NONE : children,
  };
}

/** The one copy in `shared` of a value equal to `value`, found by `key` (cells hold no NUL). */
function sharedValue<T>(shared: Map<string, unknown> | undefined, value: T, key = `\0${String(value)}`): T {
  if (shared === undefined) return value;
  const known = shared.get(key);
  if (known !== undefined) return known as T;
  // Bounded, so that a file of all-different values does not hold them twice.
  if (shared.size < 4096) shared.set(key, value);
  return value;
}

/** The nodes of a whole tree. */
export function showTreeOf(root: WasmBinary): ShowNode {
  return showNodeOf(
    root,
    root.children.map((child) => showTreeOf(child)),
  );
}

/** One row per producer value: `language` first, then the other fields in byte order. */
function producerRows(producers: Producers, rows: string[]): string[] {
  const fields = Array.from(producers.keys()).sort((a, b) =>
    a === 'language' ? -1 : b === 'language' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const field of fields) {
    // The field names are few and known: the table's own strings, not one copy per binary.
    const key = PRODUCERS_FIELDS.find((known) => known === field) ?? cell(field);
    for (const [name, version] of producers.get(field) ?? []) {
      rows.push(key, version === '' ? cell(name) : `${cell(name)} [${cell(version)}]`);
    }
  }
  return rows;
}

function cell(text: string): string {
  return escapeForTerminal(text, true);
}
