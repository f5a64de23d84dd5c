/** A fenced code block of a Markdown file: its info string, its lines, and where it opens. */
export interface Fence {
  info: string;
  lines: string[];
  /** The 1-based line number of the opening fence. */
  line: number;
}

/** Splits Markdown into the text outside fenced code blocks (fences blanked) and the blocks. */
export function splitFences(markdown: string): { text: string; fences: Fence[] } {
  const out: string[] = [];
  const fences: Fence[] = [];
  let open: { marker: string; indent: number; fence: Fence } | undefined;
  for (const [index, line] of markdown.split('\n').entries()) {
    // Fences may be indented, inside list items.
    const match = /^(`{3,}|~{3,})(.*)$/.exec(line.trimStart());
    if (open === undefined && match) {
      const marker = match[1] as string;
      const fence = { info: (match[2] ?? '').trim(), lines: [], line: index + 1 };
      open = { marker, indent: line.length - line.trimStart().length, fence };
      fences.push(fence);
      out.push('');
    } else if (open !== undefined) {
      const closing = /^(`{3,}|~{3,})\s*$/.exec(line.trim());
      if (closing && closing[1]?.[0] === open.marker[0] && (closing[1]?.length ?? 0) >= open.marker.length) {
        open = undefined;
      } else {
        // A block inside a list item is indented as its fence is: its content is not.
        const indent = Math.min(open.indent, line.length - line.trimStart().length);
        open.fence.lines.push(line.slice(indent));
      }
      out.push('');
    } else {
      out.push(line);
    }
  }
  return { text: out.join('\n'), fences };
}
