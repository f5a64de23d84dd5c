import { createHash } from 'node:crypto';
import { joinChunks } from '../binary/chunks.js';
import type { MetadataEdit } from '../edit/edit.js';
import { applyEdit } from '../edit/rewrite.js';

/** A binary stamped in memory, or why it could not be. */
export type StampOutcome = { bytes: Uint8Array; fields: string[] } | { error: unknown };

/**
 * Stamps binaries in memory with one build's edit, once per distinct content: Rollup names an
 * asset (and the plugin hashes the stamped bytes for that name) before `generateBundle`
 * replaces its source, and both must see the same stamped bytes.
 */
export class Stamper {
  readonly #edit: MetadataEdit;
  readonly #strict: boolean;
  readonly #outcomes = new Map<string, StampOutcome>();

  constructor(edit: MetadataEdit, strict: boolean) {
    this.#edit = edit;
    this.#strict = strict;
  }

  /** The stamped binary (the input itself when nothing changed), or the error that stamping threw. */
  stamp(source: string | Uint8Array): StampOutcome {
    const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
    const key = createHash('sha256').update(bytes).digest('hex');
    let outcome = this.#outcomes.get(key);
    if (outcome === undefined) {
      try {
        const result = applyEdit(bytes, this.#edit, { strict: this.#strict });
        const fields = result.changes.flatMap((change) => (change.kind === 'field' ? [change.field] : []));
        outcome = { bytes: result.changed ? joinChunks(result.chunks) : bytes, fields };
      } catch (error) {
        outcome = { error };
      }
      this.#outcomes.set(key, outcome);
    }
    return outcome;
  }

  /** Whether `source` was stamped before (it is one of this build's binaries). */
  has(source: string | Uint8Array): boolean {
    const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
    return this.#outcomes.has(createHash('sha256').update(bytes).digest('hex'));
  }
}
