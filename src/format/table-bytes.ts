import { type TableLayout, type TableOptions, type TableRows, layoutTable, rowText, ruleText } from './table.js';
import { isPrintableAscii } from './text-width.js';

/**
 * Tables rendered straight into UTF-8 bytes, byte-identical to {@link tableChunks}'s text. A
 * table of thousands of rows is mostly borders and one-line ASCII cells: the borders are
 * encoded once per table and copied, and such cells are written a byte per character, so
 * that no string is built per row; any other row is rendered as text and encoded.
 */

const encoder = new TextEncoder();

/** Bytes held before {@link TableBytes.full} asks for them to be written. */
const FLUSH_AT = 64 * 1024;

const NEWLINE = 0x0a;
const SPACE = 0x20;
// `│` and `┆` in UTF-8.
const VERTICAL = encoder.encode('│');
const DASHED = encoder.encode('┆');

/**
 * A growable output buffer of UTF-8 bytes. Writers append to it; its owner takes the bytes
 * when it is {@link full} (between rows) and must use them before anything else is written,
 * as the same memory is reused.
 */
export class TableBytes {
  private buffer = new Uint8Array(2 * FLUSH_AT);
  private length = 0;

  /** Whether enough is held to be written out. */
  get full(): boolean {
    return this.length >= FLUSH_AT;
  }

  /** The bytes held, which are valid until the next write; the buffer is then reused. */
  take(): Uint8Array {
    const bytes = this.buffer.subarray(0, this.length);
    this.length = 0;
    return bytes;
  }

  /** Makes room for `count` more bytes. */
  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.length + count));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Appends encoded bytes. */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Appends a line break. */
  newline(): void {
    this.reserve(1);
    this.buffer[this.length++] = NEWLINE;
  }

  /** Appends text as UTF-8. */
  text(text: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    this.reserve(text.length * 3);
    this.length += encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  /**
   * Appends one row of a table, each of its cells a line of printable ASCII that fits its
   * column (see {@link isSimpleRow}).
   */
  simpleRow(row: readonly string[], widths: readonly number[], rightAligned: readonly boolean[]): void {
    let size = 5;
    for (let c = 0; c < widths.length; c++) size += (widths[c] as number) + 5;
    this.reserve(size);
    const buffer = this.buffer;
    let at = this.length;
    buffer[at++] = NEWLINE;
    at = put3(buffer, at, VERTICAL);
    for (let c = 0; c < widths.length; c++) {
      if (c > 0) at = put3(buffer, at, DASHED);
      const text = row[c] as string;
      const spare = (widths[c] as number) - text.length;
      buffer[at++] = SPACE;
      if (rightAligned[c]) at = spaces(buffer, at, spare);
      for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
      if (!rightAligned[c]) at = spaces(buffer, at, spare);
      buffer[at++] = SPACE;
    }
    this.length = put3(buffer, at, VERTICAL);
  }
}

function put3(buffer: Uint8Array, at: number, bytes: Uint8Array): number {
  buffer[at] = bytes[0] as number;
  buffer[at + 1] = bytes[1] as number;
  buffer[at + 2] = bytes[2] as number;
  return at + 3;
}

function spaces(buffer: Uint8Array, at: number, count: number): number {
  for (let i = 0; i < count; i++) buffer[at + i] = SPACE;
  return at + Math.max(0, count);
}

/**
 * Adds each cell's width to `maxWidths` if it is one line of printable ASCII (a width of one
 * column a character); returns false, leaving the rest of the row, at the first other cell.
 */
function measureSimpleRow(row: readonly string[], maxWidths: number[]): boolean {
  for (let c = 0; c < row.length; c++) {
    const text = row[c] as string;
    if (!isPrintableAscii(text)) return false;
    if (text.length > (maxWidths[c] as number)) maxWidths[c] = text.length;
  }
  return true;
}

/** Whether every cell of `row` is one line of printable ASCII that fits its column. */
function isSimpleRow(row: readonly string[], widths: readonly number[]): boolean {
  if (row.length !== widths.length || !fits(row, widths)) return false;
  for (const text of row) if (!isPrintableAscii(text)) return false;
  return true;
}

/** Whether every cell of `row` has no more characters than its column is wide (its width, for printable ASCII). */
function fits(row: readonly string[], widths: readonly number[]): boolean {
  for (let c = 0; c < row.length; c++) if ((row[c] as string).length > (widths[c] as number)) return false;
  return true;
}

const NOT_RIGHT: readonly boolean[] = [];

/** The borders of a table, encoded once: each rule with the line break before it. */
interface EncodedRules {
  top: Uint8Array;
  header: Uint8Array;
  row: Uint8Array;
  bottom: Uint8Array;
}

// Tables of the same widths share their borders: `show` prints thousands of details tables
// of a handful of shapes, most often the same shape as the table before.
const rulesByWidths = new Map<string, EncodedRules>();
let lastWidths: readonly number[] = [];
let lastRules: EncodedRules | undefined;

function encodedRules(widths: readonly number[]): EncodedRules {
  if (lastRules !== undefined && sameNumbers(widths, lastWidths)) return lastRules;
  const key = widths.join(',');
  let rules = rulesByWidths.get(key);
  if (rules === undefined) {
    rules = {
      top: encoder.encode(ruleText(widths, '╭', '─', '┬', '╮')),
      header: encoder.encode(`\n${ruleText(widths, '╞', '═', '╪', '╡')}`),
      row: encoder.encode(`\n${ruleText(widths, '├', '╌', '┼', '┤')}`),
      bottom: encoder.encode(`\n${ruleText(widths, '╰', '─', '┴', '╯')}`),
    };
    // Bounded: a file with many shapes of table does not grow the cache without end.
    if (rulesByWidths.size < 256) rulesByWidths.set(key, rules);
  }
  lastWidths = widths;
  lastRules = rules;
  return rules;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes the table of {@link tableChunks} into `out`, yielding whenever `out` is full (between
 * rows) so that the caller can take its bytes: a table of any length is held a few rows at a
 * time. One pass over the rows measures them (a few more if a column must be wrapped), the
 * last one prints.
 */
export function* writeTable(
  out: TableBytes,
  header: readonly string[],
  rows: TableRows,
  options: TableOptions,
): Generator<void, void, undefined> {
  let maxWidths: number[] | undefined;
  // Whether every cell is one line of printable ASCII: then a row needs no check but its fit.
  let simple = false;
  if (!options.keepWords) {
    maxWidths = new Array<number>(header.length).fill(0);
    simple = measureSimpleRow(header, maxWidths);
    if (simple) {
      for (const row of rows()) {
        if (row.length !== header.length || !measureSimpleRow(row, maxWidths)) {
          simple = false;
          break;
        }
      }
    }
    if (!simple) maxWidths = undefined;
  }
  const layout = layoutTable(header, rows, options, maxWidths);
  const { widths } = layout;
  const rules = encodedRules(widths);
  const rightAligned = options.align === undefined ? NOT_RIGHT : layout.align.map((a) => a === 'right');
  out.bytes(rules.top);
  writeRow(out, header, layout, rightAligned, simple);
  let rule = rules.header;
  for (const row of rows()) {
    out.bytes(rule);
    rule = rules.row;
    writeRow(out, row, layout, rightAligned, simple);
    if (out.full) yield;
  }
  out.bytes(rules.bottom);
}

function writeRow(
  out: TableBytes,
  row: readonly string[],
  layout: TableLayout,
  rightAligned: readonly boolean[],
  simple: boolean,
): void {
  if (simple ? fits(row, layout.widths) : isSimpleRow(row, layout.widths))
    out.simpleRow(row, layout.widths, rightAligned);
  else out.text(rowText(row, layout));
}
