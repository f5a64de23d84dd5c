/**
 * The parts of Rollup's and Vite's plugin interfaces that the plugin uses, declared here so that
 * neither Rollup nor Vite is a dependency of wasm-meta, not even for types: a consumer without
 * them still type-checks `wasm-meta/vite`, and the plugin object is assignable to Rollup 4's
 * `Plugin` and to Vite 5, 6 and 7's `Plugin` (test/vite/plugin-types.test.ts checks it).
 */

/** What a plugin hook's `this` offers that the plugin uses. */
export interface PluginContextLike {
  /** Reports a warning, which the bundler shows with the plugin's name. */
  warn(message: string): void;
  /** Fails the build. */
  error(message: string): never;
  /** Reports information; Rollup 4 has it, and Vite shows it at the `info` log level. */
  info?: ((message: string) => void) | undefined;
}

/** The asset that Rollup asks `output.assetFileNames` to name. */
export interface AssetNameInfo {
  /** Rollup 4.26 and later: the names the asset was emitted with. */
  readonly names?: readonly string[] | undefined;
  /** Before Rollup 4.26 (deprecated after it, with a warning when read). */
  readonly name?: string | undefined;
  readonly source: string | Uint8Array;
  readonly type: 'asset';
}

/**
 * Rollup's `output.assetFileNames` as a function. Declared as a method's type so that its
 * parameter is compared both ways: Rollup's `PreRenderedAsset` has more properties than
 * {@link AssetNameInfo}, and the options go to Rollup and come back.
 */
export type AssetFileNamesFunction = {
  bivariant(info: AssetNameInfo): string;
}['bivariant'];

/** The output options that the plugin's `outputOptions` hook wraps. */
export interface OutputOptionsLike {
  assetFileNames?: string | AssetFileNamesFunction | undefined;
  hashCharacters?: 'base64' | 'base36' | 'hex' | undefined;
}

/** Where the output went, as `writeBundle` sees it. */
export interface OutputLocation {
  dir?: string | undefined;
  file?: string | undefined;
}

/** An asset or chunk of the bundle, as `generateBundle` and `writeBundle` see it. */
export type OutputFileLike =
  { type: 'asset'; fileName: string; source: string | Uint8Array } | { type: 'chunk'; fileName: string; code: string };

/** The bundle: output file name to asset or chunk. */
export type OutputBundleLike = Record<string, OutputFileLike>;
