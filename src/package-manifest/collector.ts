import type { MetadataEdit, ProducerEntry } from '../edit/edit.js';
import { WasmMetaError } from '../errors.js';
import type { FieldName } from '../fields.js';
import { checkFieldValue, quoteValue } from '../values/check.js';

/** What a mapper gives: the edit a package manifest describes, and warnings about values it skipped. */
export interface PackageMetadata {
  /** The fields found, validated and normalized as they will be stored, and producers to merge. */
  edit: MetadataEdit;
  /**
   * Values skipped with a reason (`package.json: license: "UNLICENSED" is not …`), and licences
   * corrected (`package.json: license: "GPL-2.0" corrected to "GPL-2.0-only"`).
   */
  warnings: string[];
  /** Whether the revision should come from git, because the manifest has none of its own. */
  revisionFromGit: boolean;
}

/** Options of the mappers from a parsed package manifest to metadata; every one may be left out. */
export interface PackageManifestOptions {
  /** The manifest's path as the user gave it, for messages (by default its usual file name). */
  file?: string | undefined;
  /**
   * Fields given explicitly (flags): their manifest keys are neither used nor checked, so that
   * an explicit value is the way around a bad manifest value.
   */
  skip?: Iterable<FieldName> | undefined;
}

/** Options of the mappers of formats whose members inherit keys from a workspace root (Cargo, wkg). */
export interface WorkspaceMemberOptions extends PackageManifestOptions {
  /** The workspace root's parsed manifest, whose keys the member may inherit. */
  workspace?: Record<string, unknown> | undefined;
  /** The workspace root's path, for messages (by default `workspace <usual file name>`). */
  workspaceFile?: string | undefined;
}

/**
 * Collects the values of one package manifest. Each value is produced lazily and only for
 * fields that are not skipped. Values are checked by the rules of the flags; a bad value is an
 * `invalid-package-manifest` error naming the file and the key, except a licence with a
 * correction, which is corrected with a warning.
 */
export class PackageMetadataCollector {
  readonly edit: MetadataEdit = {};
  readonly warnings: string[] = [];
  private readonly producers: ProducerEntry[] = [];

  private readonly skip: ReadonlySet<FieldName>;

  constructor(
    /** The manifest's path as the user gave it, for messages. */
    readonly file: string,
    skip: Iterable<FieldName> = [],
  ) {
    this.skip = new Set(skip);
  }

  /**
   * Sets `field` from the manifest `key` (for messages) unless a flag overrides it. `produce`
   * returns the raw value, or `undefined` when absent; empty strings count as absent.
   */
  set(field: FieldName, key: string, produce: () => string | undefined): void {
    if (this.skip.has(field)) return;
    const value = produce();
    if (value === undefined || value === '') return;
    this.edit[field] = this.check(field, key, value);
  }

  /** Whether a flag overrides `field`, so that its manifest keys are not even read. */
  skips(field: FieldName): boolean {
    return this.skip.has(field);
  }

  /** Adds a producers value to merge. */
  producer(entry: ProducerEntry): void {
    this.producers.push(entry);
  }

  /** Records a skipped value: `<file>: <key>: <message>`. */
  warn(key: string, message: string): void {
    this.warnings.push(`${this.file}: ${key}: ${message}`);
  }

  /** An error about `key` of this manifest. */
  fail(key: string, message: string): never {
    throw packageManifestError(this.file, key, message);
  }

  /** The collected metadata. */
  result(revisionFromGit: boolean): PackageMetadata {
    const edit = this.producers.length > 0 ? { ...this.edit, producers: this.producers } : this.edit;
    return { edit, warnings: this.warnings, revisionFromGit: revisionFromGit && !this.skip.has('revision') };
  }

  /**
   * A value as it will be stored. A licence that npm would correct (`GPL-2.0`) is corrected,
   * with a warning that names both, as npm warns about it rather than refusing the package.
   */
  private check(field: FieldName, key: string, value: string): string {
    const checked = checkFieldValue(field, value);
    if (typeof checked === 'string') return checked;
    if (checked.suggestion === undefined) return this.fail(key, checked.problem);
    this.warn(key, `${quoteValue(value)} corrected to ${quoteValue(checked.suggestion)}`);
    return checked.suggestion;
  }
}

/** The error for a bad package manifest value: `<file>: <key>: <message>`. */
export function packageManifestError(file: string, key: string, message: string): WasmMetaError {
  return new WasmMetaError('invalid-package-manifest', `${file}: ${key}: ${message}`);
}

/** Reads `value` as a string, or fails naming `key`; `undefined` stays `undefined`. */
export function asString(collector: PackageMetadataCollector, key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') collector.fail(key, `expected a string, found ${describeType(value)}`);
  return value;
}

/** Reads `value` as an array of strings, or fails naming `key`. */
export function asStringArray(collector: PackageMetadataCollector, key: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    collector.fail(key, `expected an array of strings, found ${describeType(value)}`);
  }
  return value as string[];
}

/** Reads `value` as a table (object), or fails naming `key`. */
export function asTable(
  collector: PackageMetadataCollector,
  key: string,
  value: unknown,
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
    collector.fail(key, `expected a table, found ${describeType(value)}`);
  }
  return value as Record<string, unknown>;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? 'a table' : `a ${typeof value} (${JSON.stringify(value)})`;
}

/** Joins people, dropping empty and exactly repeated entries. */
export function joinPeople(people: readonly string[], separator: string): string {
  return [...new Set(people.map((p) => p.trim()).filter((p) => p !== ''))].join(separator);
}
