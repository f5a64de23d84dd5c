import { graphemes, isPrintableAscii, textWidth, utf8Length } from './text-width.js';

/**
 * Renders tables exactly as wasm-tools' `metadata show` does: comfy-table 7.1.4 with the
 * UTF8_FULL preset, rounded corners, one space of padding, a fixed total width and dynamic
 * content arrangement (columns that do not fit are wrapped at spaces).
 */

/** How the cells of a column are aligned. */
export type Alignment = 'left' | 'right';

/** Options for {@link renderTable}. */
export interface TableOptions {
  /** Total width in columns, borders included. wasm-tools uses 80. */
  width: number;
  /** Alignment per column; columns without an entry are left-aligned. */
  align?: readonly Alignment[];
  /**
   * Never break a word (a digest, a hash, a URL) across lines, so that it can be copied whole:
   * each column is at least as wide as its widest word, and the table grows past `width` rather
   * than split one. Lines still wrap at spaces. Off by default: comfy-table breaks long words.
   */
  keepWords?: boolean;
}

/** Columns that may still be filled when a line has no more than this many left are closed. */
const MIN_FREE_CHARS = 2;

/** The rows of a table, produced anew on each call: a streamed table goes over them more than once. */
export type TableRows = () => Iterable<readonly string[]>;

/** Renders a table with a header row; lines are joined with `\n`, with no final newline. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions,
): string {
  let out = '';
  for (const chunk of tableChunks(header, () => rows, options)) out += chunk;
  return out;
}

/**
 * The text of {@link renderTable} a row at a time, for tables too large to hold: one pass over
 * the rows (a few for wrapped columns) sets the column widths, the last one prints. Memory stays
 * bounded by the widest row, not the table.
 */
export function* tableChunks(
  header: readonly string[],
  rows: TableRows,
  options: TableOptions,
): Generator<string, void, undefined> {
  const layout = layoutTable(header, rows, options);
  yield ruleText(layout.widths, '╭', '─', '┬', '╮') + rowText(header, layout);
  const headerRule = ruleText(layout.widths, '╞', '═', '╪', '╡');
  const rowRule = ruleText(layout.widths, '├', '╌', '┼', '┤');
  let first = true;
  for (const row of rows()) {
    yield `\n${first ? headerRule : rowRule}${rowText(row, layout)}`;
    first = false;
  }
  yield `\n${ruleText(layout.widths, '╰', '─', '┴', '╯')}`;
}

/** The column widths and alignments of a table, which every row is printed with. */
export interface TableLayout {
  /** Content width of each column, padding and borders excluded. */
  readonly widths: readonly number[];
  readonly align: readonly Alignment[];
}

/**
 * Sets the column widths of a table: one pass over its rows, a few more for wrapped columns.
 * `maxWidths`, the width of each column's widest line, spares the first pass when known.
 */
export function layoutTable(
  header: readonly string[],
  rows: TableRows,
  options: TableOptions,
  maxWidths?: number[],
): TableLayout {
  const table: TableRows = () => withHeader(header, rows);
  const widths = options.keepWords
    ? arrangeKeepingWords(table, options.width)
    : arrangeColumns(table, header.length, options.width, maxWidths);
  return {
    widths,
    align: widths.map((_, column): Alignment => options.align?.[column] ?? 'left'),
  };
}

/** A rule across the table: `left`, then `fill` over each column joined by `middle`, then `right`. */
export function ruleText(widths: readonly number[], left: string, fill: string, middle: string, right: string): string {
  return left + widths.map((w) => fill.repeat(w + 2)).join(middle) + right;
}

/** The lines of a row, each preceded by `\n`: cells split at line breaks and wrapped to their column. */
export function rowText(row: readonly string[], layout: TableLayout): string {
  const { widths, align } = layout;
  const cells = row.map((text, column) => {
    const width = widths[column] as number;
    const padded: string[] = [];
    for (const line of lines(text)) {
      const lineWidth = textWidth(line);
      if (lineWidth <= width) padded.push(` ${pad(line, width - lineWidth, align[column] as Alignment)} `);
      else
        for (const part of splitLine(line, width))
          padded.push(` ${pad(part, width - textWidth(part), align[column] as Alignment)} `);
    }
    return padded;
  });
  let height = 0;
  for (const c of cells) height = Math.max(height, c.length);
  let out = '';
  for (let i = 0; i < height; i++) {
    out += '\n│';
    for (let column = 0; column < cells.length; column++) {
      if (column > 0) out += '┆';
      out += (cells[column] as string[])[i] ?? ' '.repeat((widths[column] as number) + 2);
    }
    out += '│';
  }
  return out;
}

function* withHeader(header: readonly string[], rows: TableRows): Generator<readonly string[], void, undefined> {
  yield header;
  yield* rows();
}

/** The lines of a cell. */
function lines(text: string): string[] {
  return text.includes('\n') ? text.split('\n') : [text];
}

/** `line` with `spare` spaces on the side opposite its alignment. */
function pad(line: string, spare: number, align: Alignment): string {
  if (spare <= 0) return line;
  const fill = ' '.repeat(spare);
  return align === 'right' ? fill + line : line + fill;
}

/** The number of columns: that of the header, the first row. */
function columnCount(table: TableRows): number {
  for (const row of table()) return row.length;
  return 0;
}

/** The width of each column's widest line. */
function columnWidths(table: TableRows, columns: number): number[] {
  const maxWidths = new Array<number>(columns).fill(0);
  for (const row of table()) {
    for (let c = 0; c < row.length; c++) {
      const text = row[c] as string;
      // Most cells are one line of printable ASCII, one column per character.
      if (isPrintableAscii(text)) {
        if (text.length > (maxWidths[c] as number)) maxWidths[c] = text.length;
      } else {
        for (const line of lines(text)) maxWidths[c] = Math.max(maxWidths[c] as number, textWidth(line));
      }
    }
  }
  return maxWidths;
}

/**
 * comfy-table's dynamic arrangement: returns the content width of each column for a table
 * of `totalWidth` columns.
 */
function arrangeColumns(
  table: TableRows,
  columns: number,
  totalWidth: number,
  maxWidths = columnWidths(table, columns),
): number[] {
  const widths: (number | undefined)[] = new Array<number | undefined>(columns).fill(undefined);
  // Borders: one left, one right, one between each pair; padding: one space each side.
  let remainingWidth = Math.max(0, totalWidth - (columns + 1) - 2 * columns);
  let remainingColumns = columns;
  const fix = (column: number, width: number): void => {
    widths[column] = width;
    remainingWidth = Math.max(0, remainingWidth - width);
    remainingColumns--;
  };

  // Columns whose content fits into the average space left get exactly their content width.
  for (let found = true; found && remainingColumns > 0;) {
    found = false;
    let average = Math.floor(remainingWidth / remainingColumns);
    if (average === 0) break;
    for (let c = 0; c < columns; c++) {
      if (widths[c] !== undefined || (maxWidths[c] as number) > average) continue;
      fix(c, maxWidths[c] as number);
      if (remainingColumns === 0) break;
      average = Math.floor(remainingWidth / remainingColumns);
      found = true;
    }
  }

  // Columns that would leave 3 or more spare characters once wrapped at the average width
  // are frozen at their longest wrapped line.
  if (remainingColumns > 0) {
    let average = Math.floor(remainingWidth / remainingColumns);
    for (let found = true; found;) {
      found = false;
      for (let c = 0; c < columns; c++) {
        if (widths[c] !== undefined) continue;
        const longest = longestLineAfterSplit(table, c, average);
        if (Math.max(0, average - longest) < 3) continue;
        fix(c, longest);
        if (remainingColumns === 0) break;
        average = Math.floor(remainingWidth / remainingColumns);
        found = true;
      }
    }
  }

  // The rest share what is left equally, the leftmost columns taking the remainder.
  if (remainingColumns > 0) {
    remainingWidth = Math.max(remainingWidth, remainingColumns);
    const average = Math.floor(remainingWidth / remainingColumns);
    let excess = remainingWidth - average * remainingColumns;
    for (let c = 0; c < columns; c++) {
      if (widths[c] !== undefined) continue;
      widths[c] = excess > 0 ? average + 1 : average;
      if (excess > 0) excess--;
    }
  }
  return widths as number[];
}

/**
 * The arrangement of {@link TableOptions.keepWords} (wasm-meta's own, not comfy-table's): each
 * column gets at least its widest word, and the room left goes to the columns that want more,
 * the least wanting first, so that short columns are not wrapped to make room for long ones.
 */
function arrangeKeepingWords(table: TableRows, totalWidth: number): number[] {
  const columns = columnCount(table);
  const widest = new Array<number>(columns).fill(0);
  const widths = new Array<number>(columns).fill(0);
  for (const row of table()) {
    row.forEach((text, c) => {
      for (const line of lines(text)) {
        widest[c] = Math.max(widest[c] as number, textWidth(line));
        for (const word of line.split(' ')) widths[c] = Math.max(widths[c] as number, textWidth(word));
      }
    });
  }
  let spare = totalWidth - (columns + 1) - 2 * columns - widths.reduce((sum, w) => sum + w, 0);
  const wants = (c: number): number => (widest[c] as number) - (widths[c] as number);
  const byWant = Array.from(widths.keys()).sort((a, b) => wants(a) - wants(b));
  byWant.forEach((c, i) => {
    const given = Math.min(wants(c), Math.max(0, Math.floor(spare / (byWant.length - i))));
    widths[c] = (widths[c] as number) + given;
    spare -= given;
  });
  return widths;
}

// comfy-table measures these lines in UTF-8 bytes, not display columns; kept for identical output.
function longestLineAfterSplit(table: TableRows, column: number, width: number): number {
  let longest = 0;
  for (const row of table()) {
    for (const line of lines(row[column] ?? '')) {
      const parts = textWidth(line) > width ? splitLine(line, width) : [line];
      for (const part of parts) longest = Math.max(longest, utf8Length(part));
    }
  }
  return longest;
}

/**
 * Splits a line into lines of at most `width` columns, preferring to break at spaces: words
 * are added while they fit, a line with at most two columns left is closed, and only a word
 * longer than a whole line is broken (at grapheme boundaries).
 */
export function splitLine(line: string, width: number): string[] {
  const lines: string[] = [];
  const elements = line.split(' ').reverse();
  let current = '';
  const closeIfFull = (): void => {
    if (textWidth(current) > Math.max(0, width - MIN_FREE_CHARS)) {
      lines.push(current);
      current = '';
    }
  };
  while (elements.length > 0) {
    const next = elements.pop() as string;
    const currentWidth = textWidth(current);
    const nextWidth = textWidth(next);
    const joined = current === '' ? nextWidth + currentWidth : nextWidth + currentWidth + 1;
    const remaining = current === '' ? width - currentWidth : Math.max(0, width - currentWidth - 1);

    if (joined <= width) {
      current = current === '' ? next : `${current} ${next}`;
      closeIfFull();
      continue;
    }
    if (current !== '' && remaining <= MIN_FREE_CHARS) {
      elements.push(next);
      lines.push(current);
      current = '';
      continue;
    }
    if (nextWidth > width) {
      const fresh = current === '';
      const before = fresh ? '' : `${current} `;
      let first = true;
      current = breakLongWord(next, nextWidth, remaining, fresh, width, (head) => {
        lines.push(first ? before + head : head);
        first = false;
      });
      closeIfFull();
      continue;
    }
    lines.push(current);
    current = next;
    closeIfFull();
  }
  if (current !== '') lines.push(current);
  return lines;
}

/**
 * Breaks a word wider than the column at grapheme boundaries: the first line takes what fits
 * into `firstWidth` columns, the next ones `width`; each goes to `emit`, and the last part,
 * which fits, is returned. A fresh line always takes something, so that a grapheme wider than
 * the column cannot stall it: comfy-table then emits one character and segments the rest anew;
 * here the rest of that grapheme follows one character at a time (only differs for graphemes
 * wider than a column, such as long emoji sequences in a narrow one). The word is segmented
 * once, so that a long value costs linear time.
 */
function breakLongWord(
  word: string,
  wordWidth: number,
  firstWidth: number,
  firstFresh: boolean,
  width: number,
  emit: (head: string) => void,
): string {
  const units = isPrintableAscii(word) ? undefined : Array.from(graphemes(word));
  const unitCount = (): number => units?.length ?? word.length;
  const unitAt = (k: number): string => (units === undefined ? (word[k] as string) : (units[k] as string));
  let k = 0;
  let pos = 0;
  let left = wordWidth;
  for (let avail = firstWidth, fresh = firstFresh; ; avail = width, fresh = true) {
    let used = 0;
    const start = pos;
    while (k < unitCount()) {
      const unit = unitAt(k);
      const w = textWidth(unit);
      if (used + w > avail) {
        if (!fresh || pos > start) break;
        // Nothing fits on a fresh line: take one character of this grapheme.
        const char = String.fromCodePoint(unit.codePointAt(0) as number);
        if (char.length < unit.length) {
          units?.splice(k, 1, ...Array.from(unit));
          if (units === undefined) break;
        }
        used += textWidth(char);
        pos += char.length;
        k++;
        break;
      }
      used += w;
      pos += unit.length;
      k++;
    }
    emit(word.slice(start, pos));
    left -= used;
    if (left <= width) return word.slice(pos);
  }
}
