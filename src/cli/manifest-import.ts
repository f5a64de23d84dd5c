import type { MetadataEdit } from '../edit/edit.js';
import { escapeForTerminal } from '../format/escape.js';
import type { ManifestField } from '../manifest/collector.js';
import type { ManifestKind } from '../manifest/kinds.js';
import { type ManifestImport, importManifest } from '../node/manifest.js';
import { FIELDS } from '../fields.js';

/**
 * Imports the manifest named by `--from`, skipping the fields that `explicit` sets or clears,
 * and prints its warnings and notes on standard error.
 */
export async function manifestForOptions(
  options: { from?: string; fromKind?: ManifestKind },
  explicit: MetadataEdit = {},
): Promise<ManifestImport | undefined> {
  if (options.from === undefined) return undefined;
  const fields: ManifestField[] = FIELDS.map((field) => field.key);
  const skip = fields.filter((field) => explicit[field] !== undefined);
  const imported = await importManifest(options.from, {
    skip,
    ...(options.fromKind === undefined ? {} : { kind: options.fromKind }),
  });
  for (const warning of imported.warnings) process.stderr.write(`warning: ${escapeForTerminal(warning)}\n`);
  for (const note of imported.notes) process.stderr.write(`note: ${escapeForTerminal(note)}\n`);
  return imported;
}
