import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Terminal display width of text, close to Rust's `unicode-width` (which comfy-table uses):
 * East Asian wide and fullwidth characters take two columns, combining marks and other
 * zero-width characters none, everything else one.
 */

const zeroWidth = /[\p{Mn}\p{Me}\p{Cf}\u{1160}-\u{11FF}]/u;

/** Display width of one code point. */
export function codePointWidth(codePoint: number, char: string): number {
  if (codePoint < 0x7f) return codePoint >= 0x20 ? 1 : 0;
  // The soft hyphen is Cf but shows as a hyphen.
  if (codePoint === 0xad) return 1;
  if (zeroWidth.test(char)) return 0;
  return eastAsianWidth(codePoint);
}

/** Printable ASCII only: one column per character. */
const printableAscii = /^[\x20-\x7e]*$/;

/** Whether `text` is printable ASCII only, one column per character. */
export function isPrintableAscii(text: string): boolean {
  return printableAscii.test(text);
}

/** Display width of a string: the sum of its code points' widths. */
export function textWidth(text: string): number {
  // A regular expression runs as native code even before the JIT warms up to the loop below.
  if (isPrintableAscii(text)) return text.length;
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f) {
      width++;
      continue;
    }
    const codePoint = text.codePointAt(i) as number;
    const char = String.fromCodePoint(codePoint);
    if (codePoint > 0xffff) i++;
    width += codePointWidth(codePoint, char);
  }
  return width;
}

// Created on first use: setting up ICU's segmenter costs milliseconds that most runs never need.
let segmenter: Intl.Segmenter | undefined;

/** The extended grapheme clusters of `text`, in order, found as they are iterated. */
export function* graphemes(text: string): Generator<string, void, undefined> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of segmenter.segment(text)) yield segment;
}

/** Number of bytes `text` takes in UTF-8. */
export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) length += 1;
    else if (unit < 0x800) length += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}
