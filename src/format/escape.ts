/**
 * Terminal-safe text. Metadata values and section names come from untrusted files; control
 * characters in them could move the cursor, recolour or rewrite a terminal, and bidirectional
 * overrides could disguise text. Such characters are shown as `\u{…}` escapes; line feeds are
 * kept where a table cell may span lines.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above
const unsafeWithNewline = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (char: string): string => `\\u{${(char.codePointAt(0) as number).toString(16)}}`;

/** Escapes control and bidirectional-override characters; keeps `\n` if `keepNewlines`. */
export function escapeForTerminal(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? unsafe : unsafeWithNewline, escapeChar);
}
