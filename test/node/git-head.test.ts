import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitHead } from '../../src/node/git-head.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-git-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs git with a fixed identity and no user or system configuration. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    },
  ).trim();
}

function repository(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'packages', 'hello'), { recursive: true });
  git(dir, 'init', '-q');
  return dir;
}

function commit(dir: string, message: string): string {
  writeFileSync(join(dir, `${message}.txt`), message);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

describe('gitHead', () => {
  it('finds HEAD of the repository around a directory, searching upwards', async () => {
    const dir = repository('plain');
    const head = commit(dir, 'first');
    expect(await gitHead(join(dir, 'packages', 'hello'))).toEqual({ commit: head });
    const second = commit(dir, 'second');
    expect(await gitHead(dir)).toEqual({ commit: second });
  });

  it('reads packed refs and a detached HEAD', async () => {
    const dir = repository('packed');
    const first = commit(dir, 'one');
    const second = commit(dir, 'two');
    git(dir, 'pack-refs', '--all');
    expect(await gitHead(dir)).toEqual({ commit: second });
    git(dir, 'checkout', '-q', '--detach', first);
    expect(await gitHead(dir)).toEqual({ commit: first });
  });

  it('follows a worktree to its common directory', async () => {
    const dir = repository('main-tree');
    commit(dir, 'base');
    const worktree = join(scratch, 'worktree');
    git(dir, 'worktree', 'add', '-q', '-b', 'feature', worktree);
    const head = commit(worktree, 'feature-work');
    expect(await gitHead(worktree)).toEqual({ commit: head });
  });

  it('says why there is no revision before the first commit and outside a repository', async () => {
    const dir = repository('empty');
    expect(await gitHead(dir)).toEqual({
      commit: undefined,
      reason: `the git repository at ${dir} has no commits yet`,
    });
    const outside = join(scratch, 'outside');
    mkdirSync(outside);
    expect(await gitHead(outside)).toEqual({ commit: undefined, reason: `${outside} is not in a git repository` });
  });
});
