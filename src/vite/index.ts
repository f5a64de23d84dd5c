/**
 * `wasm-meta/vite`: a Vite and Rollup plugin that stamps every emitted `.wasm` asset with the
 * metadata of the project's package manifest. docs/vite.md shows how to use it.
 */

// ## The plugin
export { wasmMeta, wasmMeta as default, type WasmMetaOptions, type WasmMetaPlugin } from './plugin.js';
export type {
  AssetFileNamesFunction,
  AssetNameInfo,
  OutputBundleLike,
  OutputFileLike,
  OutputLocation,
  OutputOptionsLike,
  PluginContextLike,
} from './plugin-types.js';
