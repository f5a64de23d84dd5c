import { joinChunks } from './binary/chunks.js';
import { type EditChange, type MetadataEdit, editedFields, mergeEdits, normalizeEdit } from './edit/edit.js';
import { applyEdit } from './edit/rewrite.js';
import { packageManifestError } from './package-manifest/collector.js';
import { PACKAGE_MANIFEST_KINDS, type PackageManifestKind, packageManifestKindOf } from './package-manifest/kinds.js';
import { mapPackageManifest, parsePackageManifest } from './package-manifest/parse.js';

/** A package manifest given as its text, as a build tool holds it. */
export interface PackageManifestText {
  /** The manifest's text: package.json's JSON, or the TOML of Cargo.toml, pyproject.toml or wkg.toml. */
  text: string;
  /** The manifest's path, for messages; its file name tells the kind when `kind` is not given. */
  file?: string | undefined;
  /** The format; by default it is told from `file`. */
  kind?: PackageManifestKind | undefined;
}

/** Options of {@link addMetadataToBytes}; every one may be left out. */
export interface AddMetadataToBytesOptions {
  /** A package manifest to take the metadata from. */
  from?: PackageManifestText | undefined;
  /** Explicit changes; they win over the manifest's values, whose keys for them are not even read. */
  edit?: MetadataEdit | undefined;
  /** Refuse a binary with any invalid metadata section (`invalid-metadata`). */
  strict?: boolean | undefined;
}

/** What adding metadata did, in memory or to a file. */
export interface AddMetadataResult {
  /** Whether the output differs from the input. */
  changed: boolean;
  /** Manifest values that were skipped, with the reason. */
  warnings: string[];
  /** Information, such as why no revision was written. */
  notes: string[];
  /** With `edit.migrateLegacy`: one line per migrated, kept, dropped or removed value. */
  migration: string[];
  /** What the edit did to each field, producers value and section (see `applyEdit`). */
  changes: EditChange[];
  /** Whether a file was written: never in memory or for a dry run, nor in place when nothing changed. */
  written: boolean;
}

/** What {@link addMetadataToBytes} gives: the stamped binary and what was done. */
export interface AddMetadataToBytesResult extends AddMetadataResult {
  /** The stamped binary; the input itself when nothing changed. */
  bytes: Uint8Array;
}

/**
 * Stamps a binary in memory with a package manifest's metadata, given the manifest's text.
 *
 * It is `addMetadataToFile` for build tools that emit the bytes themselves (a bundler plugin's
 * `generateBundle`, a web page). The manifest's values with `edit` on top, checked as `add`
 * checks them; every byte not edited stays as it was. The core reads no git and no workspace
 * root: give `edit.revision` yourself, or use `wasm-meta/node`'s `addMetadataToFile`, which
 * does both. Throws a `WasmMetaError` for bad values or bad input.
 */
export function addMetadataToBytes(
  bytes: Uint8Array,
  options: AddMetadataToBytesOptions = {},
): AddMetadataToBytesResult {
  const explicit = normalizeEdit(options.edit ?? {});
  let edit = explicit;
  const warnings: string[] = [];
  const notes: string[] = [];
  if (options.from !== undefined) {
    const { text, file } = options.from;
    const kind = options.from.kind ?? (file === undefined ? undefined : packageManifestKindOf(file));
    if (kind === undefined) {
      throw packageManifestError(
        file ?? '(package manifest)',
        '(file name)',
        `cannot tell the manifest kind; give from.kind, or a from.file named one of ${PACKAGE_MANIFEST_KINDS.join(', ')}`,
      );
    }
    const name = file ?? kind;
    const manifest = mapPackageManifest(parsePackageManifest(text, kind, name), kind, {
      file: name,
      skip: editedFields(explicit),
    });
    edit = normalizeEdit(mergeEdits(manifest.edit, explicit));
    warnings.push(...manifest.warnings);
    if (manifest.revisionFromGit) {
      notes.push(`revision not written: ${name} has none, and addMetadataToBytes reads no git (give edit.revision)`);
    }
  }
  const result = applyEdit(bytes, edit, { strict: options.strict === true });
  return {
    bytes: result.changed ? joinChunks(result.chunks) : bytes,
    changed: result.changed,
    warnings,
    notes,
    migration: result.migration,
    changes: result.changes,
    written: false,
  };
}
