/**
 * Resource bounds that every reader in wasm-meta enforces, so that no input can make it run
 * unbounded or hold unbounded memory. Exceeding a structural bound is a {@link WasmMetaError};
 * exceeding a value bound makes that one value a diagnostic.
 */
export const LIMITS = {
  /** Nesting depth of modules and components inside the outermost binary (which is depth 0). */
  maxNestingDepth: 100,
  /** Modules and components in one file, the outermost one included. */
  maxBinaries: 100_000,
  /**
   * Sections in one file, at every level together. Real binaries have tens to thousands; the
   * bound keeps every command on the worst input well under a second.
   */
  maxSections: 100_000,
  /** Bytes in a name: custom-section names, binary names, producers strings (as wasm-tools). */
  maxNameBytes: 100_000,
  /** Bytes in one text metadata value (authors, description, licenses, URLs, ...). */
  maxValueBytes: 1024 * 1024,
  /** Bytes of a structured section that is decoded in memory: producers, imports, exports, JSON. */
  maxDecodedSectionBytes: 16 * 1024 * 1024,
  /** Bytes that a `.dep-v0` section may inflate to (wasm-tools' cap since 1.254). */
  maxDependencyBytes: 2 * 1024 * 1024,
} as const;
