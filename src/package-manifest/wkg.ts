import { VERSION } from '../version.js';
import type { FieldName } from '../fields.js';
import {
  PackageMetadataCollector,
  type WorkspaceMemberOptions,
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

/** Whether a wkg.toml is a workspace root (has `[workspace]`). */
export function isWkgWorkspaceRoot(toml: Record<string, unknown>): boolean {
  return toml['workspace'] !== undefined;
}

/**
 * Maps a parsed wkg.toml to metadata, as `wkg wit build` writes it.
 *
 * As spec manifests.md §3 says: the keys of `[metadata]` (or `[workspace.metadata]` in a workspace
 * root), with a member's keys winning over those of `options.workspace`, the workspace root's
 * parsed wkg.toml. No name, no version and no git revision: wkg has none of them.
 */
export function mapWkg(toml: Record<string, unknown>, options: WorkspaceMemberOptions = {}): PackageMetadata {
  const collector: PackageMetadataCollector = new PackageMetadataCollector(options.file ?? 'wkg.toml', options.skip);
  const workspaceFile = options.workspaceFile ?? 'workspace wkg.toml';
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
    options.workspace === undefined
      ? new Map<string, { at: string; value: unknown }>()
      : read(
          collector,
          `${workspaceFile}: workspace.metadata`,
          workspaceMetadata(collector, workspaceFile, options.workspace),
        );
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

/** `[workspace.metadata]` of a workspace root's wkg.toml (empty if it has none). */
function workspaceMetadata(
  collector: PackageMetadataCollector,
  file: string,
  root: Record<string, unknown>,
): Record<string, unknown> {
  const workspace = asTable(collector, `${file}: workspace`, root['workspace']) ?? {};
  return asTable(collector, `${file}: workspace.metadata`, workspace['metadata']) ?? {};
}
