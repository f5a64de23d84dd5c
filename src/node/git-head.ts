import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** The commit `HEAD` points at, or why there is none. */
export type GitHead = { commit: string } | { commit: undefined; reason: string };

const objectId = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Finds the git repository that contains `directory` (searching upwards) and returns the full
 * commit id of its `HEAD`, detached or not. Reads `.git` directly (loose and packed refs,
 * worktrees); only a reftable repository needs the `git` program.
 */
export async function gitHead(directory: string): Promise<GitHead> {
  const start = resolve(directory);
  for (let dir = start; ; dir = dirname(dir)) {
    const gitDir = await findGitDir(dir);
    if (gitDir !== undefined) return headOf(gitDir, dir);
    if (dirname(dir) === dir) return { commit: undefined, reason: `${start} is not in a git repository` };
  }
}

/** `<dir>/.git` as a directory, or the `gitdir:` a `.git` file points to (worktrees, submodules). */
async function findGitDir(dir: string): Promise<string | undefined> {
  const dotGit = join(dir, '.git');
  const info = await stat(dotGit).catch(() => undefined);
  if (info === undefined) return undefined;
  if (info.isDirectory()) return dotGit;
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8').catch(() => ''));
  return match === null ? undefined : resolve(dir, match[1] as string);
}

async function headOf(gitDir: string, workTree: string): Promise<GitHead> {
  const common = await readFile(join(gitDir, 'commondir'), 'utf8').then(
    (text) => resolve(gitDir, text.trim()),
    () => gitDir,
  );
  if (await stat(join(common, 'reftable')).catch(() => undefined)) return headFromGitProgram(workTree);
  let ref = 'HEAD';
  for (let hops = 0; hops < 8; hops++) {
    const value = await readRef(ref === 'HEAD' ? gitDir : common, common, ref);
    if (value === undefined) break;
    if (objectId.test(value)) return { commit: value };
    const symbolic = /^ref:\s*(\S+)$/.exec(value);
    if (symbolic === null) break;
    ref = symbolic[1] as string;
  }
  return { commit: undefined, reason: `the git repository at ${workTree} has no commits yet` };
}

/** A ref's content from its loose file (in `dir`, then `common`), else from packed-refs. */
async function readRef(dir: string, common: string, ref: string): Promise<string | undefined> {
  for (const base of new Set([dir, common])) {
    const loose = await readFile(join(base, ref), 'utf8').catch(() => undefined);
    if (loose !== undefined) return loose.trim();
  }
  const packed = await readFile(join(common, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    const [id, name] = line.trim().split(' ');
    if (name === ref && id !== undefined && objectId.test(id)) return id;
  }
  return undefined;
}

async function headFromGitProgram(workTree: string): Promise<GitHead> {
  try {
    // Loaded only for reftable repositories, which cannot be read from files.
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: workTree });
    const commit = stdout.trim();
    if (objectId.test(commit)) return { commit };
  } catch {
    // fall through
  }
  return {
    commit: undefined,
    reason: `the git repository at ${workTree} has no commits yet (or git is not installed)`,
  };
}
