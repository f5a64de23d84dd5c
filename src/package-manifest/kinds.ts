/** The package manifests wasm-meta takes metadata from, told apart by file name. */
export type PackageManifestKind = 'package.json' | 'Cargo.toml' | 'pyproject.toml' | 'wkg.toml';

/** Every package manifest kind. */
export const PACKAGE_MANIFEST_KINDS: readonly PackageManifestKind[] = [
  'package.json',
  'Cargo.toml',
  'pyproject.toml',
  'wkg.toml',
];

/** The kind of a package manifest from its file name (any case), or `undefined` if the name says nothing. */
export function packageManifestKindOf(path: string): PackageManifestKind | undefined {
  const name = path.split(/[\\/]/).pop() ?? path;
  return PACKAGE_MANIFEST_KINDS.find((kind) => kind.toLowerCase() === name.toLowerCase());
}

const ALIASES: Readonly<Record<string, PackageManifestKind>> = {
  npm: 'package.json',
  cargo: 'Cargo.toml',
  python: 'pyproject.toml',
  pyproject: 'pyproject.toml',
  wkg: 'wkg.toml',
};

/** A kind as a person names it: the file name (any case) or `npm`, `cargo`, `python`, `pyproject`, `wkg`. */
export function parsePackageManifestKind(value: string): PackageManifestKind | undefined {
  return packageManifestKindOf(value) ?? ALIASES[value.toLowerCase()];
}
