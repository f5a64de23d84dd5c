/**
 * `wasm-meta/vite`: a Vite and Rollup plugin that stamps every emitted `.wasm` asset with the
 * metadata of the project's package manifest. docs/vite.md shows how to use it.
 */

// ## The plugin
export {
  wasmMeta,
  wasmMeta as default,
  type WasmMetaOptions,
  type WasmMetaPlugin,
  type AssetFileNamesFunction,
  type AssetNameInfo,
  type OutputBundleLike,
  type OutputFileLike,
  type OutputLocation,
  type OutputOptionsLike,
  type PluginContextLike,
} from './plugin.js';
