import { createHash } from 'node:crypto';

/** Rollup's default length of `[hash]`, and its longest. */
const DEFAULT_HASH_SIZE = 8;
const MAX_HASH_SIZE = 21;

/** The alphabets of Rollup's `output.hashCharacters`. */
export type HashCharacters = 'base64' | 'base36' | 'hex';

/**
 * A content hash of `bytes` in Rollup's alphabet (`base64` is URL- and file-name-safe), as long
 * as Rollup would make it; SHA-256, not Rollup's own hash function, which is not exported.
 */
export function contentHash(bytes: Uint8Array, characters: HashCharacters, size: number | undefined): string {
  const digest = createHash('sha256').update(bytes).digest();
  const text =
    characters === 'hex'
      ? digest.toString('hex')
      : characters === 'base36'
        ? BigInt(`0x${digest.toString('hex')}`).toString(36)
        : digest.toString('base64url');
  return text.slice(0, Math.min(Math.max(0, size || DEFAULT_HASH_SIZE), MAX_HASH_SIZE));
}

/** `[hash]` and `[hash:N]` in a file-name pattern. */
const HASH_PLACEHOLDER = /\[hash(?::(\d+))?\]/g;

/** The pattern with each `[hash]` / `[hash:N]` replaced by the hash of `bytes`; other placeholders are kept. */
export function withContentHash(pattern: string, bytes: Uint8Array, characters: HashCharacters): string {
  return pattern.replace(HASH_PLACEHOLDER, (_, size: string | undefined) =>
    contentHash(bytes, characters, size === undefined ? undefined : Number(size)),
  );
}
