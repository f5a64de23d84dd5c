import { VERSION } from '../version.js';
import {
  PackageMetadataCollector,
  type WorkspaceMemberOptions,
  type PackageMetadata,
  asString,
  asStringArray,
  asTable,
} from './collector.js';

/** Whether a Cargo.toml uses `key.workspace = true` anywhere in `[package]`. */
export function inheritsFromWorkspace(toml: Record<string, unknown>): boolean {
  const pkg = toml['package'];
  if (typeof pkg !== 'object' || pkg === null) return false;
  return Object.values(pkg).some(
    (v) => typeof v === 'object' && v !== null && (v as Record<string, unknown>)['workspace'] === true,
  );
}

/**
 * Maps a parsed Cargo.toml to metadata, as cargo-component writes it.
 *
 * As spec manifests.md §2 says: name, version (`0.0.0` when absent), authors joined with `,`,
 * description, license, repository as source, homepage; the revision comes from git
 * (`revisionFromGit`); producers get `language Rust` (unless a version of Rust is already recorded)
 * and `processed-by wasm-meta`. A member's `key.workspace = true` takes `[workspace.package]` of
 * `options.workspace`, the workspace root's parsed Cargo.toml.
 */
export function mapCargo(toml: Record<string, unknown>, options: WorkspaceMemberOptions = {}): PackageMetadata {
  const collector: PackageMetadataCollector = new PackageMetadataCollector(options.file ?? 'Cargo.toml', options.skip);
  const workspace = options.workspace === undefined ? undefined : workspacePackage(collector, options);
  const pkg = asTable(collector, 'package', toml['package']);
  if (pkg === undefined) {
    return collector.fail(
      '(top level)',
      toml['workspace'] !== undefined
        ? 'is a virtual workspace manifest: give the Cargo.toml of a member'
        : 'has no [package] table',
    );
  }
  /** The value of `package.<key>`, following `<key>.workspace = true` to the workspace root. */
  const value = (key: string): [string, unknown] => {
    const raw = pkg[key];
    if (
      typeof raw !== 'object' ||
      raw === null ||
      Array.isArray(raw) ||
      (raw as Record<string, unknown>)['workspace'] !== true
    ) {
      return [`package.${key}`, raw];
    }
    const at = `package.${key}.workspace`;
    if (workspace === undefined)
      return collector.fail(at, 'no workspace root (a Cargo.toml with [workspace]) was found');
    const inherited = workspace.package[key];
    if (inherited === undefined) return collector.fail(at, `no [workspace.package].${key} in ${workspace.file}`);
    return [`${workspace.file}: workspace.package.${key}`, inherited];
  };
  const text = (key: string): string | undefined => {
    const [at, raw] = value(key);
    return asString(collector, at, raw);
  };

  const name = pkg['name'];
  collector.set('name', 'package.name', () => asString(collector, 'package.name', name));
  collector.set('version', 'package.version', () => text('version') ?? '0.0.0');
  collector.set('authors', 'package.authors', () => {
    const [at, raw] = value('authors');
    return asStringArray(collector, at, raw)?.join(',');
  });
  collector.set('description', 'package.description', () => text('description'));
  collector.set('licenses', 'package.license', () => text('license'));
  collector.set('source', 'package.repository', () => text('repository'));
  collector.set('homepage', 'package.homepage', () => text('homepage'));
  collector.producer({ field: 'language', name: 'Rust', version: '', ifAbsent: true });
  collector.producer({ field: 'processed-by', name: 'wasm-meta', version: VERSION });
  return collector.result(true);
}

/** `[workspace.package]` of the workspace root's Cargo.toml (empty if it has none), and its path. */
function workspacePackage(
  collector: PackageMetadataCollector,
  options: WorkspaceMemberOptions,
): { file: string; package: Record<string, unknown> } {
  const file = options.workspaceFile ?? 'workspace Cargo.toml';
  const root = asTable(collector, `${file}: workspace`, options.workspace?.['workspace']) ?? {};
  return { file, package: asTable(collector, `${file}: workspace.package`, root['package']) ?? {} };
}
