import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { HANG_MS } from './hang.js';
import { REPO_ROOT } from './shared.js';

/** Code that prints the process's peak resident memory in bytes on standard error as it exits. */
const PRINT_PEAK_RSS = `process.on('exit', () => process.stderr.write('RSS ' + process.resourceUsage().maxRSS * 1024));`;

const peakOf = (stderr: string): number => Number(/RSS (\d+)/.exec(stderr)?.[1]);

/**
 * Peak resident memory (bytes) of the command line run in a process of its own with `args` (the
 * built dist/bundle/main.js, in-process so that the measure is the command's, not a shell's), and
 * what it printed. The run must succeed.
 */
export function cliPeakRss(args: string[], env?: NodeJS.ProcessEnv): { rss: number; stdout: string } {
  const script = `const { main } = await import(${JSON.stringify(join(REPO_ROOT, 'dist', 'bundle', 'main.js'))});
    process.exitCode = await main(${JSON.stringify(args)});
    ${PRINT_PEAK_RSS}`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: HANG_MS,
    maxBuffer: 64 * 1024 * 1024,
    ...(env === undefined ? {} : { env }),
  });
  expect(result.status, result.stderr).toBe(0);
  return { rss: peakOf(result.stderr), stdout: result.stdout };
}

/** Peak resident memory (bytes) of a bare `node -e 0`. */
export function bareNodePeakRss(): number {
  const result = spawnSync(process.execPath, ['-e', PRINT_PEAK_RSS], { encoding: 'utf8', timeout: HANG_MS });
  return peakOf(result.stderr);
}
