import type { AddMetadataResult } from '../add-metadata.js';
import { type MetadataEdit, editedFields, mergeEdits, normalizeEdit } from '../edit/edit.js';
import type { PackageManifestKind } from '../package-manifest/kinds.js';
import { type FileEditPlan, outputFrom, planFileEdit, unchangedPrefix } from './edit-file.js';
import { ioError } from './read-file.js';
import { writeEditedFile } from './write-file.js';

/** Where the metadata of an edit comes from: a package manifest, explicit values, or both. */
export interface EditSources {
  /** A package manifest to take the metadata from (package.json, Cargo.toml, pyproject.toml, wkg.toml). */
  from?: string | undefined;
  /** The manifest's format, when its file name does not tell it. */
  fromKind?: PackageManifestKind | undefined;
  /** Explicit changes; they win over the manifest's values. */
  edit?: MetadataEdit | undefined;
}

/** The edit that {@link EditSources} describe, with what the manifest said about itself. */
export interface PreparedEdit {
  edit: MetadataEdit;
  /** Manifest values that were skipped, with the reason. */
  warnings: string[];
  /** Information, such as why no revision was written. */
  notes: string[];
}

/**
 * Checks the explicit values and reads the manifest (if any): the manifest's values with the
 * explicit ones on top. A field given explicitly is not read from the manifest at all, so
 * that an explicit value is the way around a bad manifest value. Throws a `WasmMetaError`
 * (`invalid-edit`, `invalid-package-manifest`) before anything is read or written.
 */
export async function prepareEdit(sources: EditSources): Promise<PreparedEdit> {
  const explicit = normalizeEdit(sources.edit ?? {});
  if (sources.from === undefined) return { edit: explicit, warnings: [], notes: [] };
  // Loaded only for --from: the manifest parsers are not needed otherwise.
  const { readPackageManifest } = await import('./package-manifest.js');
  const manifest = await readPackageManifest(sources.from, {
    skip: editedFields(explicit),
    ...(sources.fromKind === undefined ? {} : { kind: sources.fromKind }),
  });
  return {
    edit: normalizeEdit(mergeEdits(manifest.edit, explicit)),
    warnings: manifest.warnings,
    notes: manifest.notes,
  };
}

/** Options for {@link addMetadataToFile}. */
export interface AddMetadataOptions extends EditSources {
  /** Where to write the result; by default the file is edited in place. */
  output?: string | undefined;
  /** Refuse a file with any invalid metadata section (`invalid-metadata`). */
  strict?: boolean | undefined;
  /** Work out the changes and write nothing, not even a temporary file. */
  dryRun?: boolean | undefined;
}

/**
 * Stamps a WebAssembly file with metadata from a package manifest and explicit values, as
 * `wasm-meta add` does.
 *
 * Stamps metadata into a WebAssembly file in one call, as `wasm-meta add` does and as a
 * bundler plugin or component builder would right after emitting it: the manifest's values
 * (if `from` is given) with `edit` on top, written atomically. In place, a symbolic link's
 * target is edited, the mode and owner are kept and a read-only file is refused. Throws a
 * `WasmMetaError` for bad values or bad input, before anything is written. Returns what
 * changed, so that a tool can say so; `dryRun` only works that out.
 */
export async function addMetadataToFile(path: string, options: AddMetadataOptions = {}): Promise<AddMetadataResult> {
  return addPreparedEditToFile(path, await prepareEdit(options), options);
}

/**
 * The file half of {@link addMetadataToFile}: applies an edit already prepared (the manifest
 * read, the values checked) to one file, so that `add` with many files reads the manifest and
 * git once. Throws a `WasmMetaError` for bad input, before anything is written.
 */
export async function addPreparedEditToFile(
  path: string,
  prepared: PreparedEdit,
  options: Pick<AddMetadataOptions, 'output' | 'strict' | 'dryRun'> = {},
): Promise<AddMetadataResult> {
  const { edit, warnings, notes } = prepared;
  const result = await planFileEdit(path, edit, { strict: options.strict === true });
  const inPlace = options.output === undefined;
  const written = options.dryRun !== true && (result.changed || !inPlace);
  if (written) await writeEditedFileFrom(path, options.output ?? path, result, inPlace);
  return { changed: result.changed, warnings, notes, migration: result.migration, changes: result.changes, written };
}

/**
 * Below this share of the file, an unchanged prefix is streamed with the rest rather than
 * copied by the kernel: copying the whole file and then rewriting most of it costs more than
 * one pass through memory (a kernel copy takes about half the time of a read and a write).
 */
const KERNEL_COPY_MIN_SHARE = 0.5;

/**
 * Writes the output of `plan` (an edit of the file at `input`) to `output` atomically: the
 * unchanged prefix copied by the kernel when it is most of the file, the rest read by position
 * in bounded chunks. Memory stays constant at any file size.
 */
async function writeEditedFileFrom(input: string, output: string, plan: FileEditPlan, inPlace: boolean): Promise<void> {
  const prefix = unchangedPrefix(plan.pieces);
  const copied = prefix >= KERNEL_COPY_MIN_SHARE * plan.inputSize ? prefix : 0;
  const { open } = await import('node:fs/promises');
  const handle = await open(input, 'r').catch((error: unknown) => {
    throw ioError(input, error);
  });
  try {
    await writeEditedFile(output, outputFrom(handle, input, plan.pieces, copied), {
      inPlace,
      ...(copied > 0 ? { prefix: { path: input, length: copied } } : {}),
    });
  } finally {
    await handle.close();
  }
}
