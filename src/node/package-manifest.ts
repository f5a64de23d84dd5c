import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { minimatch } from 'minimatch';
import type { FieldName } from '../fields.js';
import { inheritsFromWorkspace } from '../package-manifest/cargo.js';
import { type PackageMetadata, packageManifestError } from '../package-manifest/collector.js';
import { PACKAGE_MANIFEST_KINDS, type PackageManifestKind, packageManifestKindOf } from '../package-manifest/kinds.js';
import { mapPackageManifest, parsePackageManifest, parseTomlText } from '../package-manifest/parse.js';
import { isWkgWorkspaceRoot } from '../package-manifest/wkg.js';
import { gitHead } from './git-head.js';

/** What reading a package manifest gives: the edit, warnings about skipped values, and notes. */
export interface PackageManifestMetadata extends PackageMetadata {
  /** Information that is not a problem, such as why no revision was written. */
  notes: string[];
}

/** Options for {@link readPackageManifest}. */
export interface ReadPackageManifestOptions {
  /** The format; by default it is told from the file name. */
  kind?: PackageManifestKind;
  /** Fields given explicitly (flags): their manifest keys are neither used nor checked. */
  skip?: Iterable<FieldName>;
}

/**
 * Reads a package manifest file as `--from` does: workspace inheritance resolved and the revision
 * from git.
 *
 * Reads a package manifest (package.json, Cargo.toml, pyproject.toml or wkg.toml) and returns
 * the metadata edit it describes: values checked by the rules of the `add` flags, Cargo and
 * wkg workspace inheritance resolved, and the revision taken from the git repository around
 * the manifest where the format says so. Bad values throw a `WasmMetaError`
 * (`invalid-package-manifest`) naming the file and the key.
 */
export async function readPackageManifest(
  path: string,
  options: ReadPackageManifestOptions = {},
): Promise<PackageManifestMetadata> {
  const kind = options.kind ?? packageManifestKindOf(path);
  if (kind === undefined) {
    throw packageManifestError(
      path,
      '(file name)',
      `cannot tell the manifest kind; name the file one of ${PACKAGE_MANIFEST_KINDS.join(', ')}, or give the kind`,
    );
  }
  const parsed = parsePackageManifest(await readText(path), kind, path);
  const root =
    kind === 'Cargo.toml' && inheritsFromWorkspace(parsed as Record<string, unknown>)
      ? await cargoWorkspace(path, parsed as Record<string, unknown>)
      : kind === 'wkg.toml' && !isWkgWorkspaceRoot(parsed as Record<string, unknown>)
        ? await wkgWorkspace(path)
        : undefined;
  const result: PackageMetadata = mapPackageManifest(parsed, kind, {
    file: path,
    skip: options.skip,
    workspace: root?.toml,
    workspaceFile: root?.file,
  });
  const notes: string[] = [];
  if (result.revisionFromGit) {
    const head = await gitHead(dirname(resolve(path)));
    if (head.commit !== undefined) result.edit.revision = head.commit;
    else notes.push(`revision not written: ${head.reason}`);
  }
  return { ...result, notes };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw packageManifestError(path, '(file)', code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
}

/** A workspace root: its path for messages, and its parsed manifest. */
interface WorkspaceRoot {
  file: string;
  toml: Record<string, unknown>;
}

/** A path for messages: relative to the working directory when that is shorter. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && rel.length < path.length ? rel : path;
}

/**
 * The workspace root of a Cargo package: `package.workspace` if set, else the nearest
 * Cargo.toml with a `[workspace]` table, starting with the manifest itself.
 */
async function cargoWorkspace(path: string, toml: Record<string, unknown>): Promise<WorkspaceRoot | undefined> {
  const explicit = (toml['package'] as Record<string, unknown>)['workspace'];
  const candidates: string[] = [];
  if (typeof explicit === 'string') {
    candidates.push(join(dirname(resolve(path)), explicit, 'Cargo.toml'));
  } else {
    for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
      candidates.push(join(dir, 'Cargo.toml'));
      if (dirname(dir) === dir) break;
    }
  }
  for (const candidate of candidates) {
    const text = await readFile(candidate, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const root = parseTomlText(text, shown(candidate));
    const workspace = root['workspace'];
    if (typeof workspace !== 'object' || workspace === null) continue;
    return { file: shown(candidate), toml: root };
  }
  return undefined;
}

/** The nearest ancestor wkg.toml whose `workspace.members` (paths or globs) match the member. */
async function wkgWorkspace(path: string): Promise<WorkspaceRoot | undefined> {
  const memberDir = dirname(resolve(path));
  for (let dir = dirname(memberDir); ; dir = dirname(dir)) {
    const candidate = join(dir, 'wkg.toml');
    const text = await readFile(candidate, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const root = parseTomlText(text, shown(candidate));
      const workspace = root['workspace'] as Record<string, unknown> | undefined;
      const members = workspace?.['members'];
      const member = relative(dir, memberDir).split('\\').join('/');
      if (
        Array.isArray(members) &&
        members.some((m) => typeof m === 'string' && minimatch(member, m.replace(/^\.\//, '').replace(/\/$/, '')))
      ) {
        return { file: shown(candidate), toml: root };
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
