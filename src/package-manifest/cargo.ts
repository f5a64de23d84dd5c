import { VERSION } from '../version.js';
import {
  type PackageManifestOptions,
  PackageMetadataCollector,
  type PackageMetadata,
  asString,
  asStringArray,
  asTable,
} from './collector.js';

/** The `[workspace.package]` table of a Cargo workspace root, for inherited keys. */
export interface CargoWorkspace {
  /** The root manifest's path, for messages. */
  file: string;
  /** `[workspace.package]`, or `undefined` if the root has none. */
  package: Record<string, unknown> | undefined;
}

/** Whether a Cargo.toml uses `key.workspace = true` anywhere in `[package]`. */
export function inheritsFromWorkspace(toml: Record<string, unknown>): boolean {
  const pkg = toml['package'];
  if (typeof pkg !== 'object' || pkg === null) return false;
  return Object.values(pkg).some(
    (v) => typeof v === 'object' && v !== null && (v as Record<string, unknown>)['workspace'] === true,
  );
}

/**
 * Cargo.toml to metadata, as cargo-component writes it (spec manifests.md §2): name, version
 * (`0.0.0` when absent), authors joined with `,`, description, license, repository as source,
 * homepage; the revision comes from git; producers get `language Rust` (unless a version of
 * Rust is already recorded) and `processed-by wasm-meta`. Keys may be inherited from
 * `[workspace.package]` of `options.workspace`, the workspace root's table.
 */
export function mapCargo(
  toml: Record<string, unknown>,
  options: PackageManifestOptions & { workspace?: CargoWorkspace | undefined } = {},
): PackageMetadata {
  const collector: PackageMetadataCollector = new PackageMetadataCollector(options.file ?? 'Cargo.toml', options.skip);
  const { workspace } = options;
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
    const inherited = workspace.package?.[key];
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
