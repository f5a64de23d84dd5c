import { readFile, stat } from 'node:fs/promises';
import { type MetadataEdit, mergeEdits, normalizeEdit } from '../edit/edit.js';
import { applyEdit } from '../edit/rewrite.js';
import type { ManifestField } from '../manifest/collector.js';
import type { ManifestKind } from '../manifest/kinds.js';
import { FIELDS } from '../fields.js';
import { importManifest } from './manifest.js';
import { ioError } from './read-file.js';
import { writeFileAtomic } from './write-file.js';

/** Options for {@link addMetadataToFile}. */
export interface AddMetadataOptions {
  /** A package manifest to take the metadata from (package.json, Cargo.toml, pyproject.toml, wkg.toml). */
  from?: string;
  /** The manifest's format, when its file name does not tell it. */
  fromKind?: ManifestKind;
  /** Explicit changes; they win over the manifest's values. */
  edit?: MetadataEdit;
  /** Where to write the result; by default the file is edited in place (keeping its mode). */
  output?: string;
}

/** What {@link addMetadataToFile} did. */
export interface AddMetadataResult {
  /** Whether the output differs from the input (an unchanged file is not rewritten in place). */
  changed: boolean;
  /** Manifest values that were skipped, with the reason. */
  warnings: string[];
  /** Information, such as why no revision was written. */
  notes: string[];
}

/**
 * Stamps metadata into a WebAssembly file in one call, as a bundler plugin or component
 * builder would right after emitting it: the manifest's values (if `from` is given) with
 * `edit` on top, written atomically. Throws a `WasmMetaError` for bad values or bad input,
 * before anything is written.
 */
export async function addMetadataToFile(path: string, options: AddMetadataOptions = {}): Promise<AddMetadataResult> {
  const explicit = normalizeEdit(options.edit ?? {});
  let edit = explicit;
  let warnings: string[] = [];
  let notes: string[] = [];
  if (options.from !== undefined) {
    const fields: ManifestField[] = FIELDS.map((field) => field.key);
    const manifest = await importManifest(options.from, {
      skip: fields.filter((field) => explicit[field] !== undefined),
      ...(options.fromKind === undefined ? {} : { kind: options.fromKind }),
    });
    edit = normalizeEdit(mergeEdits(manifest.edit, explicit));
    ({ warnings, notes } = manifest);
  }
  let bytes: Uint8Array;
  let mode: number;
  try {
    bytes = await readFile(path);
    mode = (await stat(path)).mode & 0o7777;
  } catch (error) {
    throw ioError(path, error);
  }
  const result = applyEdit(bytes, edit);
  const output = options.output ?? path;
  if (result.changed || output !== path) {
    await writeFileAtomic(output, result.chunks, output === path ? { mode } : {});
  }
  return { changed: result.changed, warnings, notes };
}
