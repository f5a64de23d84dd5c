import { execFileSync } from 'node:child_process';

/**
 * Makes `dir` a git repository with one commit of everything in it, by a fixed author and
 * without the user's or the system's git configuration; returns the commit's hash.
 */
export function commitAll(dir: string, message = 'fixture'): string {
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    }).trim();
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}
