/**
 * SHA-256 digests as OCI writes them (`sha256:` and 64 lowercase hex digits).
 *
 * The core does not hash by itself: it must stay free of Node built-ins, and Web Crypto cannot
 * hash a stream piece by piece. The caller injects an incremental hash instead (wasm-meta/node
 * passes one over `node:crypto`; a browser can pass a pure-JS one).
 */

/** An incremental SHA-256 computation. */
export interface Sha256 {
  /** Adds the next bytes. */
  update(chunk: Uint8Array): void;
  /** The digest of everything added, as `sha256:<64 lowercase hex digits>`. Call once. */
  digest(): string;
}

/** Starts a new {@link Sha256}. */
export type Sha256Factory = () => Sha256;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Whether `text` is a SHA-256 digest in OCI form. */
export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/** The digest of bytes held in memory. */
export function digestOf(sha256: Sha256Factory, bytes: Uint8Array): string {
  const hash = sha256();
  hash.update(bytes);
  return hash.digest();
}
