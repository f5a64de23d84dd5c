/** An entry point of the package, as the API reference shows it. */
export interface EntryPoint {
  /** The entry point's source file. */
  path: string;
  /** The module name users import (`wasm-meta`). */
  module: string;
  /** What the entry point is for, after its name. */
  summary: string;
}

/** The path of docs/api.md. */
export const API_DOCS: string;
/** The longest first sentence of a doc comment. */
export const MAX_SUMMARY: number;
/** The package's entry points. */
export const ENTRY_POINTS: EntryPoint[];
/** The API reference as Markdown, and the problems of the doc comments (`module: name: …`). */
export function renderApiDocs(entries?: EntryPoint[]): Promise<{ markdown: string; problems: string[] }>;
