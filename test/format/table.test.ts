import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from '../../src/format/escape.js';
import { TableBytes, writeTable } from '../../src/format/table-bytes.js';
import { type TableOptions, renderTable, splitLine } from '../../src/format/table.js';
import { textWidth } from '../../src/format/text-width.js';

describe('renderTable', () => {
  it('draws the UTF8_FULL rounded preset with right-aligned columns', () => {
    const table = renderTable(
      ['KIND', 'SIZE'],
      [
        ['module', '8B'],
        ['component', '136B'],
      ],
      { width: 80, align: ['left', 'right'] },
    );
    expect(table).toBe(
      [
        '╭───────────┬──────╮',
        '│ KIND      ┆ SIZE │',
        '╞═══════════╪══════╡',
        '│ module    ┆   8B │',
        '├╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌┤',
        '│ component ┆ 136B │',
        '╰───────────┴──────╯',
      ].join('\n'),
    );
  });

  it('wraps a long value at spaces into a table exactly 80 columns wide', () => {
    const value =
      'clang [21.1.4-wasi-sdk (https://github.com/llvm/llvm-project 222fc11f2b8f25f6a0f4976272ef1bb7bf49521d)]';
    const lines = renderTable(['KIND', 'VALUE'], [['processed-by', value]], { width: 80 }).split('\n');
    expect(lines.map(textWidth)).toEqual(lines.map(() => 80));
    expect(lines[3]).toBe('│ processed-by ┆ clang [21.1.4-wasi-sdk (https://github.com/llvm/llvm-project  │');
    expect(lines[4]).toBe('│              ┆ 222fc11f2b8f25f6a0f4976272ef1bb7bf49521d)]                    │');
  });

  it('keeps explicit line breaks inside a cell', () => {
    const lines = renderTable(['KIND', 'VALUE'], [['description', 'one\ntwo']], { width: 80 }).split('\n');
    expect(lines.slice(3, 5)).toEqual(['│ description ┆ one   │', '│             ┆ two   │']);
  });

  it('never draws a line wider than the table, and loses no word', () => {
    const word = fc.stringMatching(/^[a-z0-9./:-]{1,30}$/);
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
        (cells) => {
          const rows = cells.map((words, i) => [`row${i}`, words.join(' ')]);
          const lines = renderTable(['KIND', 'VALUE'], rows, { width: 80 }).split('\n');
          const widths = new Set(lines.map(textWidth));
          expect(widths.size).toBe(1);
          expect([...widths][0]).toBeLessThanOrEqual(80);
          const text = lines.join(' ').replace(/[│┆]/g, ' ');
          for (const words of cells) for (const w of words) if (w.length <= 60) expect(text).toContain(w);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('renderTable with keepWords', () => {
  const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

  it('breaks a digest wider than the column without it, and keeps it whole with it', () => {
    const rows = [['layer', `application/wasm 1.6M ${digest}`]];
    const broken = renderTable(['KEY', 'VALUE'], rows, { width: 40 });
    expect(broken.split('\n').some((line) => line.includes(digest))).toBe(false);
    const kept = renderTable(['KEY', 'VALUE'], rows, { width: 40, keepWords: true }).split('\n');
    expect(kept.some((line) => line.includes(`┆ ${digest} │`))).toBe(true);
    // The table grows past 40 columns rather than break the digest, and stays a table.
    expect(new Set(kept.map(textWidth))).toEqual(new Set([digest.length + 'layer'.length + 7]));
  });

  it('fits the width when every word fits, giving short columns all they want first', () => {
    const rows = [
      ['status', 'missing: expected "MIT", found none', 'x'],
      ['revision (required)', 'de978e17a80c1118f606fce919ba9b7d5a04a5ad', 'ok'],
    ];
    // The widest words take 10 + 40 + 2 columns, the borders and padding 10: 62. Whole lines
    // take 19 + 40 + 2 + 10 = 71, which fits into 72.
    const lines = renderTable(['A', 'B', 'C'], rows, { width: 72, keepWords: true }).split('\n');
    expect(new Set(lines.map(textWidth))).toEqual(new Set([71]));
    expect(lines).toContain(`│ revision (required) ┆ de978e17a80c1118f606fce919ba9b7d5a04a5ad ┆ ok │`);
    // Narrower, the short column wraps at its space; the hash still does not break.
    const narrow = renderTable(['A', 'B', 'C'], rows, { width: 62, keepWords: true }).split('\n');
    expect(new Set(narrow.map(textWidth))).toEqual(new Set([62]));
    expect(narrow).toContain(`│ revision   ┆ de978e17a80c1118f606fce919ba9b7d5a04a5ad ┆ ok │`);
  });

  it('loses no word and breaks none, whatever the width', () => {
    const word = fc.stringMatching(/^[a-z0-9./:-]{1,40}$/);
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 10, max: 120 }),
        (cells, width) => {
          const rows = cells.map((words, i) => [`row${i}`, words.join(' ')]);
          const lines = renderTable(['KIND', 'VALUE'], rows, { width, keepWords: true }).split('\n');
          expect(new Set(lines.map(textWidth)).size).toBe(1);
          const words = new Set(lines.flatMap((line) => line.split(/[\s│┆]+/)));
          for (const ws of cells) for (const w of ws) expect(words.has(w)).toBe(true);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('splitLine (comfy-table content split)', () => {
  it('splits at spaces', () => {
    expect(splitLine('sometest sometest', 10)).toEqual(['sometest', 'sometest']);
  });

  it('breaks words longer than the column', () => {
    expect(splitLine('abcdefghijklmnop', 6)).toEqual(['abcdef', 'ghijkl', 'mnop']);
  });

  it('does not break wide characters', () => {
    expect(splitLine('日本語テキスト', 5)).toEqual(['日本', '語テ', 'キス', 'ト']);
  });
});

/**
 * comfy-table's split, step by step as it does it: a long word is split, and its rest segmented
 * anew, once per line. The oracle for splitLine, which segments a long word once.
 */
function comfySplit(line: string, width: number): string[] {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const splitLong = (avail: number, word: string): [string, string] => {
    let used = 0;
    let head = '';
    const parts = Array.from(segmenter.segment(word), (p) => p.segment);
    let i = 0;
    for (; i < parts.length; i++) {
      const w = textWidth(parts[i] as string);
      if (used + w > avail) break;
      used += w;
      head += parts[i];
    }
    return [head, parts.slice(i).join('')];
  };
  const lines: string[] = [];
  const elements = line.split(' ').reverse();
  let current = '';
  const closeIfFull = (): void => {
    if (textWidth(current) > Math.max(0, width - 2)) {
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
    } else if (current !== '' && remaining <= 2) {
      elements.push(next);
      lines.push(current);
      current = '';
    } else if (nextWidth > width) {
      const fresh = current === '';
      if (!fresh) current += ' ';
      let [head, rest] = splitLong(remaining, next);
      if (fresh && head === '') {
        const chars = Array.from(rest);
        head = chars[0] as string;
        rest = chars.slice(1).join('');
      }
      lines.push(current + head);
      current = '';
      elements.push(rest);
    } else {
      lines.push(current);
      current = next;
      closeIfFull();
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

describe('splitLine against comfy-table, step by step', () => {
  const pieces = ['a', 'bc', 'defgh', ' ', ' ', '日本', 'é', 'e\u0301', '🇫🇷', '👍🏽', 'ｘ', 'long-word-without-spaces'];
  it('splits as comfy-table does wherever each grapheme fits the column', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 40 }),
        fc.integer({ min: 4, max: 30 }),
        (parts, width) => {
          const line = parts.join('');
          expect(splitLine(line, width)).toEqual(comfySplit(line, width));
        },
      ),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('splits a long value into lines of the column width', () => {
    const line = 'x'.repeat(100_000);
    const lines = splitLine(line, 77);
    expect(lines.join('')).toBe(line);
    expect(lines.every((l, i) => l.length === (i < lines.length - 1 ? 77 : 100_000 % 77))).toBe(true);
  });

  it('takes one character of a grapheme wider than the column, so that every line moves on', () => {
    const family = '👨‍👩‍👧‍👦'; // one grapheme, eight columns
    const lines = splitLine(`${family}${family}`, 3);
    expect(lines.join('')).toBe(`${family}${family}`);
    expect(lines.every((l) => textWidth(l) <= 3 || Array.from(l).length === 1)).toBe(true);
  });
});

describe('escapeForTerminal', () => {
  it('escapes control and bidi characters, and newlines unless kept', () => {
    expect(escapeForTerminal('a\u001b[31mb\u202ec\td')).toBe('a\\u{1b}[31mb\\u{202e}c\\u{9}d');
    expect(escapeForTerminal('a\nb')).toBe('a\\u{a}b');
    expect(escapeForTerminal('a\nb', true)).toBe('a\nb');
    expect(escapeForTerminal('plain text, ünïcode 日本')).toBe('plain text, ünïcode 日本');
  });
});

describe('writeTable, the byte writer', () => {
  /** The bytes `writeTable` writes, taken whenever it pauses, as `show` takes them. */
  const written = (header: string[], rows: string[][], options: TableOptions): Uint8Array => {
    const out = new TableBytes();
    const batches: Uint8Array[] = [];
    const writing = writeTable(out, header, () => rows, options);
    while (!writing.next().done) batches.push(out.take().slice());
    batches.push(out.take().slice());
    return Buffer.concat(batches);
  };

  // Cells that take the fast path (one line of printable ASCII) and every other kind: wide,
  // combining and emoji characters, line breaks, and words too long for any column.
  const word = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[ -~]{0,12}$/) },
    fc.stringMatching(/^[a-f0-9]{30,90}$/),
    fc.constantFrom('日本語', 'e\u0301', '👩‍👩‍👧', 'ü', 'line\nbreak', 'a\n\nb', ''),
  );
  const cell = fc.array(word, { minLength: 1, maxLength: 6 }).map((words) => words.join(' '));

  it('writes the bytes of renderTable, on generated tables of every kind of cell', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((columns) =>
          fc.record({
            header: fc.array(cell, { minLength: columns, maxLength: columns }),
            rows: fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { maxLength: 12 }),
            width: fc.integer({ min: 10, max: 140 }),
            align: fc.array(fc.constantFrom<'left' | 'right'>('left', 'right'), { maxLength: columns }),
            keepWords: fc.boolean(),
          }),
        ),
        ({ header, rows, width, align, keepWords }) => {
          const options = { width, align, keepWords };
          expect(Buffer.from(written(header, rows, options)).toString()).toBe(renderTable(header, rows, options));
        },
      ),
      { seed: 15, numRuns: 400 },
    );
  });

  it('pauses between rows once 64 KiB are held, and grows for a row larger than that', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [`row ${i}`, 'x'.repeat(60)]);
    rows.push(['huge', 'word '.repeat(40_000)]);
    const out = new TableBytes();
    const sizes: number[] = [];
    const writing = writeTable(out, ['KIND', 'VALUE'], () => rows, { width: 80 });
    let text = '';
    while (!writing.next().done) {
      const batch = out.take();
      sizes.push(batch.length);
      text += Buffer.from(batch).toString();
    }
    text += Buffer.from(out.take()).toString();
    expect(text).toBe(renderTable(['KIND', 'VALUE'], rows, { width: 80 }));
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.slice(0, -1).every((size) => size >= 64 * 1024 && size < 64 * 1024 + 1024)).toBe(true);
    expect(sizes[sizes.length - 1]).toBeGreaterThan(200_000);
  });
});
