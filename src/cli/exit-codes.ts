/**
 * Exit codes of the `wasm-meta` command. A script can tell apart input that could not be read
 * (1), a wrong command line (2), and readable metadata that fails a check (3): CI wants to fail
 * the build on 3 and to retry or page someone on 1.
 */
export const EXIT = { ok: 0, badInput: 1, usage: 2, mismatch: 3, internal: 70 } as const;

/**
 * What each exit code means, in the words of `wasm-meta --help` and the table in docs/cli.md
 * (test/cli/exit-codes.test.ts keeps the two in step).
 */
export const EXIT_MEANINGS: readonly (readonly [code: number, meaning: string])[] = [
  [EXIT.ok, 'success'],
  [EXIT.badInput, 'bad input: an unreadable or malformed file, an invalid value, a registry error'],
  [EXIT.usage, 'usage error: an unknown option, a missing argument, binary output to a terminal'],
  [EXIT.mismatch, 'the metadata disagrees: check failed, or pull --verify found a mismatch'],
  [EXIT.internal, 'internal error: a bug in wasm-meta'],
];
