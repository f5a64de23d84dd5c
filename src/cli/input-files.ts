import { readdirSync, statSync } from 'node:fs';
import { WasmMetaError } from '../errors.js';
import { UsageError } from './command.js';

/**
 * The input files of `add` and `check`, as named on the command line: each word is a file,
 * `-` (standard input, only alone), or a glob pattern that names no existing file. POSIX shells
 * expand `dist/*.wasm` before wasm-meta sees it, but Windows' cmd.exe (which runs npm scripts
 * there) passes it as written; so a word that is not a file but is a pattern is expanded here,
 * as the shell would (sorted, hidden files only when the pattern says so). A pattern that
 * matches nothing is an error, before any file is read. The same file named twice is taken once.
 */
export async function inputFiles(words: readonly string[]): Promise<string[]> {
  if (words.length > 1 && words.includes('-')) {
    throw new UsageError('standard input (-) can only be the one input; name files to process several');
  }
  const files = new Set<string>();
  for (const word of words) {
    for (const file of await expand(word)) files.add(file);
  }
  return [...files];
}

/** The files a word names: itself when it exists or is no pattern, else what the pattern matches. */
async function expand(word: string): Promise<string[]> {
  // minimatch is loaded only for a word that may be a pattern, so that `add file.wasm` stays lean.
  if (word === '-' || !/[*?[{(]/.test(word) || exists(word)) return [word];
  const { Minimatch } = await import('minimatch');
  const windows = process.platform === 'win32';
  const pattern = new Minimatch(word, { windowsPathsNoEscape: windows });
  if (!pattern.hasMagic()) return [word];
  // The directory to walk: the pattern's leading parts that are plain names.
  const parts = (windows ? word.replace(/\\/g, '/') : word).split('/');
  const magic = parts.findIndex((part) => new Minimatch(part, { windowsPathsNoEscape: windows }).hasMagic());
  const base = parts.slice(0, magic).join('/');
  // `*.wasm` walks `.`, `/srv/*.wasm` walks `/`.
  const root = magic === 0 ? '.' : base === '' ? '/' : base;
  let entries: string[];
  try {
    entries = readdirSync(root, { recursive: parts.length - magic > 1 || word.includes('**'), encoding: 'utf8' });
  } catch {
    entries = [];
  }
  const matches = entries
    .map((entry) => (magic === 0 ? entry : `${base}/${entry}`).replace(/\\/g, '/'))
    .filter((path) => pattern.match(path) && isFile(path))
    .sort();
  if (matches.length === 0) throw new WasmMetaError('io', `${word}: no file matches this pattern`);
  return matches;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
