import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { create } from '@actions/glob';
import { PACKAGE_MANIFEST_KINDS } from '../package-manifest/kinds.js';
import { InputError } from './inputs.js';

/** A pattern line rooted at the workspace: relative patterns, negated or not, are joined to it. */
function rooted(line: string, workspace: string): string {
  const negated = line.startsWith('!');
  const pattern = negated ? line.slice(1) : line;
  return `${negated ? '!' : ''}${isAbsolute(pattern) ? pattern : join(workspace, pattern)}`;
}

/** The files (not directories) that patterns match, sorted. */
async function glob(lines: readonly string[]): Promise<string[]> {
  const globber = await create(lines.join('\n'), { implicitDescendants: false, matchDirectories: false });
  return (await globber.glob()).sort();
}

/**
 * The files that the `files` input names, as @actions/glob matches them (the patterns of
 * actions/upload-artifact and `hashFiles`): relative patterns are relative to the workspace, a
 * line starting with `!` excludes, `#` starts a comment. A pattern that matches no file is an
 * {@link InputError} naming it, so that a build that emitted nothing fails instead of
 * stamping nothing.
 */
export async function matchFiles(lines: readonly string[], workspace: string): Promise<string[]> {
  const patterns = lines.filter((line) => !line.startsWith('#'));
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) continue;
    if ((await glob([rooted(pattern, workspace)])).length === 0)
      throw new InputError(`files: no file matches ${JSON.stringify(pattern)}`);
  }
  const files = await glob(patterns.map((pattern) => rooted(pattern, workspace)));
  if (files.length === 0) throw new InputError(`files: every file matched is excluded (${patterns.join(', ')})`);
  return files;
}

/**
 * The package manifest to stamp from when none is given: the first of package.json,
 * Cargo.toml, pyproject.toml and wkg.toml in the workspace (the order `--from` documents).
 */
export async function defaultPackageManifest(workspace: string): Promise<string> {
  for (const name of PACKAGE_MANIFEST_KINDS) {
    const path = join(workspace, name);
    if ((await stat(path).catch(() => undefined))?.isFile()) return path;
  }
  throw new InputError(
    `no package manifest in ${workspace}: set the manifest input, or add one of ${PACKAGE_MANIFEST_KINDS.join(', ')}`,
  );
}

/** A path as the log shows it: relative to the workspace when inside it. */
export function displayPath(path: string, workspace: string): string {
  const inside = relative(workspace, path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}
