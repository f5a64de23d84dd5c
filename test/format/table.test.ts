import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from '../../src/format/escape.js';
import { renderTable, splitLine } from '../../src/format/table.js';
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

describe('escapeForTerminal', () => {
  it('escapes control and bidi characters, and newlines unless kept', () => {
    expect(escapeForTerminal('a\u001b[31mb\u202ec\td')).toBe('a\\u{1b}[31mb\\u{202e}c\\u{9}d');
    expect(escapeForTerminal('a\nb')).toBe('a\\u{a}b');
    expect(escapeForTerminal('a\nb', true)).toBe('a\nb');
    expect(escapeForTerminal('plain text, ünïcode 日本')).toBe('plain text, ünïcode 日本');
  });
});
