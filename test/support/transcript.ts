/**
 * The lines of `expected` that do not appear, in this order, among the lines of `output`: how a
 * transcript or an excerpt in the docs is checked against what a command really printed. Other
 * lines may come between; `…` in a line stands for any text, and a line that is only `…` marks
 * lines left out.
 */
export function missingLines(expected: readonly string[], output: string): string[] {
  const lines = output.split('\n');
  let at = 0;
  const missing: string[] = [];
  for (const text of expected) {
    if (text.trim() === '…') continue;
    const pattern = new RegExp(
      `^${text
        .split('…')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    const found = lines.findIndex((line, index) => index >= at && pattern.test(line));
    if (found === -1) missing.push(text);
    else at = found + 1;
  }
  return missing;
}
