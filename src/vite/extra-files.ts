import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { minimatch } from 'minimatch';

/**
 * The files under `directory` that match one of `patterns` (globs or plain paths, relative to
 * `directory`, `/`-separated), as `/`-separated relative paths, and the patterns that matched
 * none, so that a typo is reported rather than silently stamping nothing.
 */
export async function matchOutputFiles(
  directory: string,
  patterns: readonly string[],
): Promise<{ files: string[]; unmatched: string[] }> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const all = entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
  const files = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const matched = all.filter((file) => minimatch(file, pattern, { dot: true }));
    if (matched.length === 0) unmatched.push(pattern);
    for (const file of matched) files.add(file);
  }
  return { files: [...files].sort(), unmatched };
}
