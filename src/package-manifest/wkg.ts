import { VERSION } from '../version.js';
import type { FieldName } from '../fields.js';
import {
  type PackageManifestOptions,
  PackageMetadataCollector,
  type PackageMetadata,
  asString,
  asTable,
} from './collector.js';

/** `[metadata]` keys of wkg.toml, their aliases and the fields they fill. */
const KEYS: ReadonlyArray<{ key: string; alias?: string; field: FieldName }> = [
  { key: 'authors', alias: 'author', field: 'authors' },
  { key: 'description', field: 'description' },
  { key: 'licenses', alias: 'license', field: 'licenses' },
  { key: 'source', alias: 'repository', field: 'source' },
  { key: 'homepage', field: 'homepage' },
  { key: 'revision', field: 'revision' },
];

/** The `[workspace.metadata]` of the wkg workspace root that a member belongs to. */
export interface WkgWorkspace {
  file: string;
  metadata: Record<string, unknown>;
}

/** Whether a wkg.toml is a workspace root (has `[workspace]`). */
export function isWkgWorkspaceRoot(toml: Record<string, unknown>): boolean {
  return toml['workspace'] !== undefined;
}

/**
 * wkg.toml to metadata, as `wkg wit build` writes it (spec manifests.md §3): the keys of
 * `[metadata]` (or `[workspace.metadata]` in a workspace root), with a member's keys winning
 * over its workspace's. No name, no version and no git revision: wkg has none of them.
 */
export function mapWkg(
  toml: Record<string, unknown>,
  options: PackageManifestOptions & { workspace?: WkgWorkspace | undefined } = {},
): PackageMetadata {
  const collector: PackageMetadataCollector = new PackageMetadataCollector(options.file ?? 'wkg.toml', options.skip);
  const { workspace } = options;
  let table = 'metadata';
  let metadata = asTable(collector, 'metadata', toml['metadata']) ?? {};
  if (isWkgWorkspaceRoot(toml)) {
    const root = asTable(collector, 'workspace', toml['workspace']) ?? {};
    if (toml['metadata'] !== undefined && root['metadata'] !== undefined) {
      collector.fail('metadata', 'a workspace root has [workspace.metadata] instead of [metadata], not both');
    }
    if (root['metadata'] !== undefined) {
      table = 'workspace.metadata';
      metadata = asTable(collector, table, root['metadata']) ?? {};
    }
  }
  const own = read(collector, table, metadata);
  const inherited =
    workspace === undefined ? new Map() : read(collector, `${workspace.file}: workspace.metadata`, workspace.metadata);
  for (const { key, field } of KEYS) {
    const found = own.get(key) ?? inherited.get(key);
    if (found !== undefined) collector.set(field, found.at, () => asString(collector, found.at, found.value));
  }
  collector.producer({ field: 'processed-by', name: 'wasm-meta', version: VERSION });
  return collector.result(false);
}

/** The known keys of a metadata table, with aliases resolved; unknown keys and doubles are errors. */
function read(
  collector: PackageMetadataCollector,
  table: string,
  metadata: Record<string, unknown>,
): Map<string, { at: string; value: unknown }> {
  const found = new Map<string, { at: string; value: unknown }>();
  for (const name of Object.keys(metadata)) {
    const entry = KEYS.find((k) => k.key === name || k.alias === name);
    if (entry === undefined) collector.fail(`${table}.${name}`, 'unknown key (wkg rejects it too)');
    if (found.has(entry.key)) {
      collector.fail(`${table}.${entry.key}`, `given twice (${entry.key} and its alias ${entry.alias})`);
    }
    found.set(entry.key, { at: `${table}.${name}`, value: metadata[name] });
  }
  return found;
}
