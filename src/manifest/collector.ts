import type { MetadataEdit, ProducerEntry } from '../edit/edit.js';
import { WasmMetaError } from '../errors.js';
import type { FieldName } from '../fields.js';
import { checkFieldValue } from '../values/check.js';

/** A metadata field a manifest can provide: the name or one of the text fields. */
export type ManifestField = FieldName;

/** What a manifest gives: the edit to apply, and warnings about values it skipped. */
export interface ManifestMetadata {
  /** The fields found, validated and normalized as they will be stored, and producers to merge. */
  edit: MetadataEdit;
  /** Values skipped with a reason (`package.json: license: "UNLICENSED" is not …`). */
  warnings: string[];
  /** Whether the revision should come from git, because the manifest has none of its own. */
  revisionFromGit: boolean;
}

/**
 * Collects the values of one manifest. Each value is produced lazily and only for fields that
 * no explicit flag overrides (`skip`), so that a flag is the way around a bad manifest value.
 * Values are checked by the rules of the flags; a bad value is an `invalid-manifest` error
 * naming the file and the key.
 */
export class ManifestCollector {
  readonly edit: MetadataEdit = {};
  readonly warnings: string[] = [];
  private readonly producers: ProducerEntry[] = [];

  constructor(
    /** The manifest's path as the user gave it, for messages. */
    readonly file: string,
    private readonly skip: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * Sets `field` from the manifest `key` (for messages) unless a flag overrides it. `produce`
   * returns the raw value, or `undefined` when absent; empty strings count as absent.
   */
  set(field: ManifestField, key: string, produce: () => string | undefined): void {
    if (this.skip.has(field)) return;
    const value = produce();
    if (value === undefined || value === '') return;
    this.edit[field] = this.check(field, key, value);
  }

  /** Whether a flag overrides `field`, so that its manifest keys are not even read. */
  skips(field: ManifestField): boolean {
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
    throw manifestError(this.file, key, message);
  }

  /** The collected metadata. */
  result(revisionFromGit: boolean): ManifestMetadata {
    const edit = this.producers.length > 0 ? { ...this.edit, producers: this.producers } : this.edit;
    return { edit, warnings: this.warnings, revisionFromGit: revisionFromGit && !this.skip.has('revision') };
  }

  private check(field: ManifestField, key: string, value: string): string {
    const checked = checkFieldValue(field, value);
    return typeof checked === 'string' ? checked : this.fail(key, checked.problem);
  }
}

/** The error for a bad manifest value: `<file>: <key>: <message>`. */
export function manifestError(file: string, key: string, message: string): WasmMetaError {
  return new WasmMetaError('invalid-manifest', `${file}: ${key}: ${message}`);
}

/** Reads `value` as a string, or fails naming `key`; `undefined` stays `undefined`. */
export function asString(collector: ManifestCollector, key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') collector.fail(key, `expected a string, found ${describeType(value)}`);
  return value;
}

/** Reads `value` as an array of strings, or fails naming `key`. */
export function asStringArray(collector: ManifestCollector, key: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    collector.fail(key, `expected an array of strings, found ${describeType(value)}`);
  }
  return value as string[];
}

/** Reads `value` as a table (object), or fails naming `key`. */
export function asTable(
  collector: ManifestCollector,
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
