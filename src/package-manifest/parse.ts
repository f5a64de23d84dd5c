import { TomlError, parse as parseToml } from 'smol-toml';
import { mapCargo } from './cargo.js';
import { type PackageMetadata, type WorkspaceMemberOptions, packageManifestError } from './collector.js';
import type { PackageManifestKind } from './kinds.js';
import { mapPackageJson } from './package-json.js';
import { mapPyproject } from './pyproject.js';
import { mapWkg } from './wkg.js';

/**
 * Parses a package manifest's text (JSON for package.json, TOML for the others); a syntax
 * error is an `invalid-package-manifest` error naming `file` (and the line, for TOML).
 */
export function parsePackageManifest(text: string, kind: PackageManifestKind, file: string): unknown {
  return kind === 'package.json' ? parseJson(text, file) : parseTomlText(text, file);
}

/** Parses TOML text, as {@link parsePackageManifest} does. */
export function parseTomlText(text: string, file: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? `line ${error.line}, column ${error.column}: ` : '';
    const message = (error as Error).message.split('\n')[0] as string;
    throw packageManifestError(file, '(file)', `not valid TOML: ${where}${message}`);
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw packageManifestError(file, '(file)', `not valid JSON: ${(error as Error).message}`);
  }
}

/** The mapper of `kind` applied to a parsed manifest (`workspace` is used by Cargo and wkg only). */
export function mapPackageManifest(
  parsed: unknown,
  kind: PackageManifestKind,
  options: WorkspaceMemberOptions,
): PackageMetadata {
  switch (kind) {
    case 'package.json':
      return mapPackageJson(parsed, { file: options.file, skip: options.skip });
    case 'pyproject.toml':
      return mapPyproject(parsed as Record<string, unknown>, { file: options.file, skip: options.skip });
    case 'Cargo.toml':
      return mapCargo(parsed as Record<string, unknown>, options);
    case 'wkg.toml':
      return mapWkg(parsed as Record<string, unknown>, options);
  }
}
