import { dirname, join, resolve } from 'node:path';
import type { MetadataEdit } from '../edit/edit.js';
import { WasmMetaError } from '../errors.js';
import { addMetadataToFile, prepareEdit } from '../node/add-metadata.js';
import { withContentHash } from './asset-hash.js';
import { matchOutputFiles } from './extra-files.js';
import { nearestPackageJson } from './nearest-package-json.js';
import { Stamper } from './stamper.js';

// The parts of Rollup's and Vite's plugin interfaces that the plugin uses, declared here so that
// neither Rollup nor Vite is a dependency of wasm-meta, not even for types: a consumer without
// them still type-checks `wasm-meta/vite`, and the plugin object is assignable to Rollup 4's and
// Vite 5, 6 and 7's `Plugin` (test/vite/plugin-types.test.ts checks it).

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

/** Options of {@link wasmMeta}; every one may be left out. */
export interface WasmMetaOptions {
  /**
   * The package manifest to take the metadata from (package.json, Cargo.toml, pyproject.toml,
   * wkg.toml), relative to Vite's `root` (Rollup: the working directory); read as
   * `wasm-meta add --from` reads it, workspace root and git revision included. By default the
   * nearest package.json in the root or above it; `false` for none (`edit` alone).
   */
  from?: string | false | undefined;
  /** Explicit values; they win over the manifest's. */
  edit?: MetadataEdit | undefined;
  /**
   * More files to stamp in place after the bundle is written, such as a `.wasm` copied from
   * `public/`: globs or paths relative to the output directory (`/`-separated). Files of the
   * bundle itself are stamped before they are written and need no entry here.
   */
  files?: readonly string[] | undefined;
  /** Fail on a binary with an invalid metadata section, as `add --strict` does. */
  strict?: boolean | undefined;
}

/**
 * The plugin object, assignable to Rollup's and Vite's `Plugin` types.
 *
 * A Rollup 4 plugin with Vite's `apply`, `enforce` and `configResolved`, which Rollup ignores.
 */
export interface WasmMetaPlugin {
  readonly name: 'wasm-meta';
  readonly apply: 'build';
  readonly enforce: 'post';
  configResolved(config: { root: string }): void;
  buildStart(this: PluginContextLike): Promise<void>;
  outputOptions(options: OutputOptionsLike): OutputOptionsLike;
  generateBundle: {
    order: 'post';
    handler(this: PluginContextLike, options: unknown, bundle: OutputBundleLike): void;
  };
  writeBundle: {
    sequential: true;
    handler(this: PluginContextLike, options: OutputLocation, bundle: OutputBundleLike): Promise<void>;
  };
}

/** Rollup's default `output.assetFileNames`. */
const ROLLUP_ASSET_FILE_NAMES = 'assets/[name]-[hash][extname]';

/** A data: URL of a `.wasm` file that Vite inlined into a chunk (below `build.assetsInlineLimit`). */
const INLINED_WASM = 'data:application/wasm;base64,';

/** What one build prepared: the stamper with the build's edit, and what the manifest said. */
interface Build {
  stamper: Stamper;
  edit: MetadataEdit;
  warnings: string[];
  notes: string[];
  reported: boolean;
}

/**
 * A Vite and Rollup plugin that stamps every emitted `.wasm` asset with the project's metadata.
 *
 * The metadata comes from the package manifest (`from`; by default the nearest package.json)
 * with `edit` on top, read once per build as `wasm-meta add --from` reads it. The assets are
 * stamped in memory in `generateBundle`, before anything is written, and a `[hash]` in
 * `output.assetFileNames` is the hash of the stamped bytes, so that the name that the chunks
 * reference is the content's. Manifest warnings go through `this.warn`; an invalid value fails
 * the build, naming the manifest and the key.
 */
export function wasmMeta(options: WasmMetaOptions = {}): WasmMetaPlugin {
  let root = process.cwd();
  let build: Build | undefined;
  const strict = options.strict === true;

  /** Fails the build with a `WasmMetaError`'s message, which names the file and the key or offset. */
  const fail = (context: PluginContextLike, error: unknown, file?: string): never => {
    if (!(error instanceof WasmMetaError)) throw error;
    return context.error(
      file === undefined || error.message.includes(file) ? error.message : `${file}: ${error.message}`,
    );
  };

  /** The manifest's warnings and notes, once per build and only when something is stamped. */
  const report = (context: PluginContextLike, current: Build): void => {
    if (current.reported) return;
    current.reported = true;
    for (const warning of current.warnings) context.warn(warning);
    for (const note of current.notes) context.info?.(note);
  };

  const isWasmName = (name: string | undefined): boolean => name?.endsWith('.wasm') === true;

  return {
    name: 'wasm-meta',
    apply: 'build',
    enforce: 'post',

    configResolved(config) {
      root = config.root;
    },

    async buildStart() {
      build = undefined;
      let from: string | undefined;
      if (options.from === undefined) {
        from = nearestPackageJson(root);
        if (from === undefined) {
          this.error(`no package.json in ${root} or above it: give the plugin's from option, or from: false`);
        }
      } else if (options.from !== false) from = resolve(root, options.from);
      try {
        const { edit, warnings, notes } = await prepareEdit({ from, edit: options.edit });
        build = { stamper: new Stamper(edit, strict), edit, warnings, notes, reported: false };
      } catch (error) {
        fail(this, error);
      }
    },

    outputOptions(outputOptions) {
      const pattern = outputOptions.assetFileNames ?? ROLLUP_ASSET_FILE_NAMES;
      const characters = outputOptions.hashCharacters ?? 'base64';
      return {
        ...outputOptions,
        // Rollup names assets before generateBundle, from their unstamped source: a [hash] is
        // replaced here by the hash of the bytes that generateBundle will write.
        assetFileNames: (info: AssetNameInfo) => {
          const chosen = typeof pattern === 'function' ? pattern(info) : pattern;
          const names = 'names' in info ? info.names : [info.name];
          if (build === undefined || !(names ?? []).some(isWasmName)) return chosen;
          const outcome = build.stamper.stamp(info.source);
          return 'bytes' in outcome ? withContentHash(chosen, outcome.bytes, characters) : chosen;
        },
      };
    },

    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const current = build;
        if (current === undefined) return;
        for (const file of Object.values(bundle)) {
          if (file.type === 'chunk') {
            if (file.code.includes(INLINED_WASM))
              this.warn(
                `${file.fileName} holds a .wasm file inlined as a data: URL, which is not stamped: ` +
                  'import it with ?no-inline, or lower build.assetsInlineLimit',
              );
            continue;
          }
          if (!isWasmName(file.fileName) && !current.stamper.has(file.source)) continue;
          const outcome = current.stamper.stamp(file.source);
          if ('error' in outcome) return fail(this, outcome.error, file.fileName);
          report(this, current);
          file.source = outcome.bytes;
          const fields = outcome.fields.length === 0 ? 'nothing changed' : outcome.fields.join(', ');
          this.info?.(`stamped ${file.fileName}: ${fields}`);
        }
      },
    },

    writeBundle: {
      sequential: true,
      async handler(output, bundle) {
        const current = build;
        const patterns = options.files ?? [];
        if (current === undefined || patterns.length === 0) return;
        const directory = output.dir ?? (output.file === undefined ? root : dirname(output.file));
        const { files, unmatched } = await matchOutputFiles(directory, patterns);
        for (const pattern of unmatched) this.warn(`files: ${pattern} matches no file in ${directory}`);
        for (const file of files.filter((name) => !(name in bundle))) {
          const path = join(directory, file);
          try {
            await addMetadataToFile(path, { edit: current.edit, strict });
          } catch (error) {
            fail(this, error, path);
          }
          report(this, current);
          this.info?.(`stamped ${file}`);
        }
      },
    },
  };
}
