/**
 * Exit codes of the `wasm-meta` command. A script can tell apart input that could not be read
 * (1), a wrong command line (2), readable metadata that fails a check (3) and the ways a
 * registry can fail (4-8): CI wants to fail the build on 3, fix credentials on 4, and retry
 * on 6.
 */
export const EXIT = {
  ok: 0,
  badInput: 1,
  usage: 2,
  mismatch: 3,
  unauthorized: 4,
  notFound: 5,
  network: 6,
  digestMismatch: 7,
  registry: 8,
  internal: 70,
} as const;

/**
 * What each exit code means, in the words of `wasm-meta --help` and the table in docs/cli.md
 * (test/cli/exit-codes.test.ts keeps the two in step).
 */
export const EXIT_MEANINGS: readonly (readonly [code: number, meaning: string])[] = [
  [EXIT.ok, 'success'],
  [EXIT.badInput, 'bad input: an unreadable or malformed file, an invalid value or reference, an unsafe request'],
  [EXIT.usage, 'usage error: an unknown option, a missing argument, binary output to a terminal'],
  [EXIT.mismatch, 'the metadata disagrees: check failed, pull --verify found a mismatch, a wkg version is not the tag'],
  [EXIT.unauthorized, 'the registry refused the credentials, or needs some and none were given'],
  [EXIT.notFound, 'not found: the registry has no such repository, tag or digest'],
  [EXIT.network, 'network failure: the registry could not be reached or stopped answering'],
  [EXIT.digestMismatch, 'digest mismatch: bytes differ from their digest, or a push reference pins another digest'],
  [EXIT.registry, 'any other registry failure'],
  [EXIT.internal, 'internal error: a bug in wasm-meta'],
];
