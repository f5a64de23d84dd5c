/**
 * The one error type that wasm-meta's library throws for bad input.
 *
 * Every structural problem in a binary (bad header, truncated or overflowing section, malformed
 * LEB128, non-UTF-8 section name, nesting or section count over a documented limit), every
 * rejected value in strict mode and every failed file operation is reported as a
 * `WasmMetaError`; no other exception escapes the library.
 */
export class WasmMetaError extends Error {
  override readonly name = 'WasmMetaError';

  /**
   * @param code    a stable, machine-readable kind of failure
   * @param reason  what went wrong, without the offset
   * @param offset  the absolute byte offset in the file where the problem is, when there is one
   */
  constructor(
    readonly code: WasmMetaErrorCode,
    readonly reason: string,
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(offset === undefined ? reason : `${reason} at byte offset ${offset} (0x${offset.toString(16)})`, options);
  }
}

/** The kinds of failure a {@link WasmMetaError} reports. */
export type WasmMetaErrorCode =
  /** Not a WebAssembly binary, or a version/layer that is neither a core module nor a component. */
  | 'bad-header'
  /** The input ends, or a section ends, before a complete item could be read. */
  | 'truncated'
  /** A LEB128 integer is longer than allowed or its value is out of range. */
  | 'bad-leb'
  /** A section or subsection claims more bytes than its parent has. */
  | 'section-overflow'
  /** A custom-section name is not valid UTF-8. */
  | 'bad-utf8'
  /** A name or string is longer than the documented limit. */
  | 'too-long'
  /** Binaries are nested deeper than the documented limit. */
  | 'too-deep'
  /** The file holds more sections or binaries than the documented limit. */
  | 'too-many'
  /** A nested core-module section does not hold a module, or a component section no component. */
  | 'kind-mismatch'
  /** A metadata section failed validation while reading in strict mode, or cannot be edited. */
  | 'invalid-metadata'
  /** An edit asks for a value that is not allowed (not SPDX, not an absolute URL, ...). */
  | 'invalid-edit'
  /** A package manifest (package.json, Cargo.toml, …) cannot be read, or one of its values is not allowed. */
  | 'invalid-package-manifest'
  /** Reading or writing a file failed. */
  | 'io'
  /** An OCI reference or wkg package name is malformed. */
  | 'invalid-reference'
  /** OCI annotations given by the user are malformed or invalid. */
  | 'invalid-annotation'
  /** A registry answered with an error not covered by a more specific code. */
  | 'registry'
  /**
   * A registry answered 404 for what the user named: a tag, a manifest or a repository (not a
   * blob the registry's own manifest lists: that is a broken artifact, `registry`).
   */
  | 'not-found'
  /** The registry could not be reached or stopped answering: refused, reset, DNS, TLS, timeout. */
  | 'network'
  /** A registry refused the credentials, or none were given where they are needed. */
  | 'unauthorized'
  /** Bytes from a registry do not match their digest or declared size. */
  | 'digest-mismatch'
  /** A pulled artifact is not a Wasm OCI artifact wasm-meta can take. */
  | 'invalid-artifact'
  /** A pulled binary's metadata sections disagree with its image manifest annotations (`pull --verify`). */
  | 'metadata-mismatch'
  /** A request would be unsafe: credentials over plain HTTP, or to a host they are not for. */
  | 'insecure';
