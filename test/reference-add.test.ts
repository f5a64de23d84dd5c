import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { HAS_SHARED, SHARED_DIR, sharedAvailable } from './support/shared.js';

const reference = join(SHARED_DIR, 'reference');
const cases = HAS_SHARED
  ? readdirSync(reference)
      .filter((f) => f.endsWith('.wat'))
      .map((f) => f.slice(0, -'.wat'.length))
      .sort()
  : [];

/** wasm-meta's deliberate differences from the reference output (spec §7, table at the end). */
const EXPECTED_DIFFERENCES: Record<string, Array<[string, string]>> = {
  'add-metadata-clear': [
    ['110B', '103B'],
    ['0x0..0x6e', '0x0..0x67'],
  ],
};

/**
 * Splits a reference RUN line into its steps: `metadata add % --name foo | metadata show`
 * becomes [['add', INPUT, '--name', 'foo'], ['show']]. The values in these lines have no spaces.
 */
function steps(runLine: string, input: string): string[][] {
  return runLine
    .replace(/^;; RUN:\s*/, '')
    .split('|')
    .map((step) => {
      const words = step.trim().split(/\s+/);
      expect(words[0]).toBe('metadata');
      return words.slice(1).map((word) => (word === '%' ? input : word));
    });
}

describe.runIf(sharedAvailable('the wasm-tools reference chains'))(
  'wasm-tools reference cases, run through the CLI',
  () => {
    it('has the seven cases', () => {
      expect(cases).toHaveLength(7);
    });

    it.each(cases)('%s: the RUN chain prints the reference output', (name) => {
      const runLine = readFileSync(join(reference, `${name}.wat`), 'utf8').split('\n')[0] as string;
      let piped: Buffer | undefined;
      for (const args of steps(runLine, join(reference, `${name}.wasm`))) {
        const result = runCli(args, piped === undefined ? {} : { input: piped });
        // add reports its changes on standard error; nothing else is said.
        if (args[0] === 'add')
          expect(result.stderr).toMatch(/^(?:[\w-]+: .*\n)*wrote the result to standard output\n$/);
        else expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        piped = result.stdoutBytes;
      }
      let expected = readFileSync(join(reference, `${name}.wat.stdout`), 'utf8');
      for (const [from, to] of EXPECTED_DIFFERENCES[name] ?? []) {
        expect(expected).toContain(from);
        expected = expected.replace(from, to);
      }
      expect(piped?.toString('utf8')).toBe(expected);
    });
  },
);
