/** The manifest formats wasm-meta imports, told apart by file name. */
export type ManifestKind = 'package.json' | 'Cargo.toml' | 'pyproject.toml' | 'wkg.toml';

/** Every manifest kind. */
export const MANIFEST_KINDS: readonly ManifestKind[] = ['package.json', 'Cargo.toml', 'pyproject.toml', 'wkg.toml'];

/** The kind of a manifest from its file name (any case), or `undefined` if the name says nothing. */
export function manifestKindOf(path: string): ManifestKind | undefined {
  const name = path.split(/[\\/]/).pop() ?? path;
  return MANIFEST_KINDS.find((kind) => kind.toLowerCase() === name.toLowerCase());
}
