import { runOnBytes } from '../binary/byte-source.js';
import { ByteWriter } from '../binary/byte-writer.js';
import { type Section, writeCustomSection } from '../binary/sections.js';
import { encodeUtf8 } from '../binary/utf8.js';
import { WasmMetaError } from '../errors.js';
import { type FieldName, TEXT_FIELDS } from '../fields.js';
import type { Producers, WasmBinary } from '../metadata.js';
import type { ReadOptions } from '../read.js';
import {
  COMPONENT_NAME_SECTION,
  NAME_SECTION,
  type NameSectionContents,
  nameSectionFor,
  readNameSection,
  writeNameSubsection,
} from '../sections/names.js';
import { PRODUCERS_SECTION, decodeProducers, encodeProducers, mergeProducers } from '../sections/producers.js';
import { REGISTRY_METADATA_SECTION } from '../sections/registry-metadata.js';
import { LEGACY_AUTHOR_SECTION } from '../sections/text.js';
import { type EditChange, type FieldChange, type MetadataEdit, invalidEdit, normalizeEdit } from './edit.js';
import { type LocatedBinary, locate } from './locate.js';
import { planMigration } from './migrate.js';

/** The result of {@link applyEdit}. */
export interface EditResult {
  /**
   * The edited file as chunks, in order. Unchanged byte ranges are views into the input;
   * only new sections are fresh bytes. Join them with `joinChunks` or stream them to a file.
   */
  chunks: Uint8Array[];
  /** Total length of the chunks. */
  length: number;
  /** Whether the output differs from the input. */
  changed: boolean;
  /** With `migrateLegacy`: one line per migrated, kept, dropped or removed value. */
  migration: string[];
  /**
   * What the edit did, in the order name, producers, text fields, legacy sections. What a
   * migration did is in `migration` instead.
   */
  changes: EditChange[];
}

/**
 * Edits the metadata of a binary in memory, returning the output as chunks that are views of the
 * input wherever nothing changed.
 *
 * Applies an edit to a WebAssembly module or component (spec §7a–c, f, g):
 *
 * - setting a field rewrites its section where it stands (the last copy, which readers use)
 *   and removes other copies; a field without a section gets one at the end of the binary;
 * - every section the edit does not touch is copied byte for byte, padded sizes included;
 * - clearing the name removes only subsection 0 of the name sections;
 * - only the binary at `edit.nested` (the outermost by default) is edited.
 *
 * Values are checked first (`invalid-edit`), then the framing of the whole input (a
 * `WasmMetaError` with the offset), in one walk over the section headers; only the sections
 * the edit touches are decoded. `options.strict` (and `migrateLegacy`) also read all the
 * metadata in that walk; `strict` rejects any invalid value (`invalid-metadata`).
 */
export function applyEdit(input: Uint8Array, edit: MetadataEdit, options: ReadOptions = {}): EditResult {
  let normalized = normalizeEdit(edit);
  const path = normalized.nested ?? [];
  const read = editWalkReads(normalized, options);
  const chain = locate(input, path, read);
  if (chain.length !== path.length + 1) throw noBinaryAt(path, chain.length - 1);
  const target = chain[chain.length - 1] as LocatedBinary;
  const sections = target.sections as Section[];
  // The fields the caller named; those a migration sets are reported by the migration.
  const named = new Set<string>(Object.keys(normalized).filter((key) => normalized[key as FieldName] !== undefined));
  let migration: string[] = [];
  if (normalized.migrateLegacy) {
    const plan = planMigration(target.metadata as WasmBinary, sections, normalized);
    normalized = plan.edit;
    migration = plan.changes;
  }
  const changes: EditChange[] = [];
  const rewritten = rewriteBinary(input, target, sections, normalized, { named, changes });
  const out = wrapInParents(input, chain, rewritten);
  const changed = out.chunks.length !== 1 || out.chunks[0]?.length !== input.length;
  return { chunks: out.chunks, length: out.length, changed, migration, changes };
}

/**
 * What the walk of {@link applyEdit} reads besides the framing: all the metadata with `strict`
 * or `migrateLegacy`, else nothing. A walk by position over a file follows the same rule.
 */
export function editWalkReads(edit: MetadataEdit, options: ReadOptions): ReadOptions | undefined {
  return options.strict || edit.migrateLegacy ? options : undefined;
}

/** Where {@link rewriteBinary} reports what it does. */
interface ChangeLog {
  /** The fields the caller named (set or cleared); others are reported only when removed. */
  named: ReadonlySet<string>;
  changes: EditChange[];
}

function noBinaryAt(path: readonly number[], depth: number): WasmMetaError {
  return invalidEdit('nested', `there is no binary at ${path.slice(0, depth + 1).join('.')}`);
}

/** Output chunks and their total length. */
interface Output {
  chunks: Uint8Array[];
  length: number;
}

/**
 * The output for the outermost binary when the innermost binary of `chain` is replaced by
 * `inner`: enclosing sections keep their bytes, except size fields that must change.
 */
function wrapInParents(input: Uint8Array, chain: readonly LocatedBinary[], inner: Output): Output {
  let current = inner;
  for (let depth = chain.length - 2; depth >= 0; depth--) {
    const parent = (chain[depth] as LocatedBinary).binary;
    const child = (chain[depth + 1] as LocatedBinary).binary;
    const section = child.section as Section;
    const out = new ByteWriter(16);
    out.view(input.subarray(parent.range.start, section.start));
    if (current.length === child.range.end - child.range.start)
      out.view(input.subarray(section.start, section.bodyStart));
    else out.u8(section.id).varU32(current.length);
    for (const chunk of current.chunks) out.view(chunk);
    out.view(input.subarray(section.end, parent.range.end));
    current = { chunks: out.finishChunks(), length: out.length };
  }
  return current;
}

/** Writes one section into the output. */
type SectionWriter = (out: ByteWriter) => void;

/** The custom sections an edit may touch (and decode). */
export const METADATA_SECTIONS: ReadonlySet<string> = new Set([
  NAME_SECTION,
  COMPONENT_NAME_SECTION,
  PRODUCERS_SECTION,
  ...TEXT_FIELDS.map((field) => field.section),
  LEGACY_AUTHOR_SECTION,
  REGISTRY_METADATA_SECTION,
]);

/** Section indexes to replace (with a writer) or remove (`null`), and sections to append. */
interface Plan {
  replace: Map<number, SectionWriter | null>;
  append: SectionWriter[];
}

function rewriteBinary(
  input: Uint8Array,
  { binary }: LocatedBinary,
  sections: readonly Section[],
  edit: MetadataEdit,
  log: ChangeLog,
): Output {
  const plan: Plan = { replace: new Map(), append: [] };
  const byName = new Map<string, number[]>();
  sections.forEach((s, i) => {
    if (s.name === undefined || !METADATA_SECTIONS.has(s.name)) return;
    const indexes = byName.get(s.name);
    if (indexes === undefined) byName.set(s.name, [i]);
    else indexes.push(i);
  });
  const indexesOf = (...names: string[]): number[] =>
    names.length === 1
      ? (byName.get(names[0] as string) ?? [])
      : names.flatMap((name) => byName.get(name) ?? []).sort((a, b) => a - b);
  const effective = (change: FieldChange): FieldChange => (change === undefined && edit.clearAll ? null : change);
  const dataOf = (i: number): Uint8Array => {
    const s = sections[i] as Section;
    return input.subarray(s.dataStart, s.end);
  };

  const logField = (field: FieldName, before: string | null, after: string | null, copies: number): void => {
    if (log.named.has(field) || before !== null) {
      log.changes.push({ kind: 'field', field, before, after, duplicatesRemoved: Math.max(0, copies - 1) });
    }
  };
  const legacyRemoved = new Set<number>();

  // Appended sections follow this order: name, producers, then the text fields.
  const nameChange = effective(edit.name);
  const names = indexesOf(NAME_SECTION, COMPONENT_NAME_SECTION);
  const name = planName(input, binary, sections, names, nameChange, plan);
  if (nameChange !== undefined) logField('name', name.before, nameChange, name.carriers);
  planProducers(sections, indexesOf(PRODUCERS_SECTION), edit, dataOf, plan, log.changes);
  for (const field of TEXT_FIELDS) {
    const change = effective(edit[field.key]);
    if (change === undefined) continue;
    const indexes = indexesOf(field.section);
    const last = indexes[indexes.length - 1];
    const before = last === undefined ? null : utf8ForPeople.decode(dataOf(last));
    const data = change === null ? null : encodeUtf8(change);
    setOrClear(indexes, data, (bytes) => textSection(field.section, bytes), dataOf, plan);
    logField(field.key, before, change, change === null ? 0 : indexes.length);
    // The legacy `author` would otherwise show through as the authors once they are cleared.
    if (field.key === 'authors' && change === null) {
      for (const i of indexesOf(LEGACY_AUTHOR_SECTION)) legacyRemoved.add(i);
    }
  }
  if (edit.clearAll || edit.migrateLegacy) {
    for (const i of indexesOf(LEGACY_AUTHOR_SECTION, REGISTRY_METADATA_SECTION)) legacyRemoved.add(i);
  }
  for (const i of [...legacyRemoved].sort((a, b) => a - b)) {
    plan.replace.set(i, null);
    // A migration reports the legacy sections it removes.
    if (!edit.migrateLegacy) log.changes.push({ kind: 'section-removed', section: sections[i]?.name as string });
  }

  // Untouched runs of sections are copied as one view each.
  const out = new ByteWriter();
  let copyFrom = binary.range.start;
  sections.forEach((section, i) => {
    const replacement = plan.replace.get(i);
    if (replacement === undefined) return;
    out.view(input.subarray(copyFrom, section.start));
    copyFrom = section.end;
    if (replacement !== null) replacement(out);
  });
  out.view(input.subarray(copyFrom, binary.range.end));
  for (const write of plan.append) write(out);
  return { chunks: out.finishChunks(), length: out.length };
}

/** Decodes a value for a report: invalid UTF-8 (which a value may hold) shows as U+FFFD. */
const utf8ForPeople = new TextDecoder();

/** A custom section holding `data`. */
function textSection(name: string, data: Uint8Array): SectionWriter {
  return (out) => writeCustomSection(out, name, (body) => body.bytes(data));
}

/**
 * Sets (`data`) or clears (`null`) a field stored in the sections at `indexes`: the last copy
 * is rewritten in place (or kept byte for byte if it already holds `data`), the others are
 * removed; without a section, one is appended.
 */
function setOrClear(
  indexes: readonly number[],
  data: Uint8Array | null,
  encode: (data: Uint8Array) => SectionWriter,
  dataOf: (i: number) => Uint8Array,
  plan: Plan,
): void {
  const last = indexes[indexes.length - 1];
  for (const i of indexes) if (data === null || i !== last) plan.replace.set(i, null);
  if (data === null) return;
  if (last === undefined) plan.append.push(encode(data));
  else if (!bytesEqual(dataOf(last), data)) plan.replace.set(last, encode(data));
}

function planProducers(
  sections: readonly Section[],
  indexes: readonly number[],
  edit: MetadataEdit,
  dataOf: (i: number) => Uint8Array,
  plan: Plan,
  changes: EditChange[],
): void {
  const entries = edit.producers ?? [];
  const clear = edit.clearProducers === true || edit.clearAll === true;
  if (clear && indexes.length > 0) changes.push({ kind: 'section-removed', section: PRODUCERS_SECTION });
  if (entries.length === 0) {
    if (clear) setOrClear(indexes, null, () => () => undefined, dataOf, plan);
    return;
  }
  let base: Producers | null = null;
  const last = indexes[indexes.length - 1];
  if (!clear && last !== undefined) {
    const section = sections[last] as Section;
    try {
      base = decodeProducers(dataOf(last), section.dataStart);
    } catch (error) {
      if (!(error instanceof WasmMetaError)) throw error;
      throw new WasmMetaError(
        'invalid-metadata',
        `cannot merge into the invalid producers section (${error.reason}); clear the producers first`,
        section.start,
      );
    }
  }
  const merged = mergeProducers(base, entries);
  const reported = new Set<string>();
  for (const { field, name } of entries) {
    const key = JSON.stringify([field, name]);
    if (reported.has(key)) continue;
    reported.add(key);
    const before = base?.get(field)?.get(name) ?? null;
    changes.push({ kind: 'producer', field, name, before, after: merged.get(field)?.get(name) as string });
  }
  setOrClear(indexes, encodeProducers(merged), (bytes) => textSection(PRODUCERS_SECTION, bytes), dataOf, plan);
}

/**
 * Sets or clears the name (spec §7c). Only subsection 0 changes: other subsections of the name
 * sections are kept byte for byte, and a name section left empty is removed.
 */
function planName(
  input: Uint8Array,
  binary: LocatedBinary['binary'],
  sections: readonly Section[],
  indexes: readonly number[],
  change: FieldChange,
  plan: Plan,
): { before: string | null; carriers: number } {
  if (change === undefined) return { before: null, carriers: 0 };
  const contents = indexes.map((i) => ({
    i,
    section: sections[i] as Section,
    ...readNames(input, sections[i] as Section),
  }));
  const carriers = contents.filter((c) => c.subsections.some((s) => s.id === 0));
  // Other subsections (function names, local names, …) are kept as views of the input.
  const rebuild = (c: (typeof contents)[number], name: string | null): SectionWriter | null => {
    const lastZero = c.subsections.findLastIndex((s) => s.id === 0);
    const kept = c.subsections.filter((s, k) => s.id !== 0 || (name !== null && k === lastZero));
    if (kept.length === 0 && name === null) return null;
    return (out) =>
      writeCustomSection(out, c.section.name as string, (body) => {
        if (name !== null && lastZero === -1) writeNameSubsection(body, name);
        for (const s of kept) {
          if (s.id !== 0) body.view(input.subarray(s.start, s.end));
          else writeNameSubsection(body, name as string);
        }
      });
  };

  const last = carriers[carriers.length - 1];
  const done = { before: last?.name ?? null, carriers: change === null ? 0 : carriers.length };
  if (change === null) {
    for (const c of carriers) plan.replace.set(c.i, rebuild(c, null));
    return done;
  }
  for (const c of carriers) if (c !== last) plan.replace.set(c.i, rebuild(c, null));
  if (last !== undefined) {
    const zeros = last.subsections.filter((s) => s.id === 0).length;
    if (zeros !== 1 || last.name !== change) plan.replace.set(last.i, rebuild(last, change));
    return done;
  }
  const own = contents.filter((c) => c.section.name === nameSectionFor(binary.kind)).pop();
  if (own !== undefined) plan.replace.set(own.i, rebuild(own, change));
  else
    plan.append.push((out) =>
      writeCustomSection(out, nameSectionFor(binary.kind), (body) => writeNameSubsection(body, change)),
    );
  return done;
}

function readNames(input: Uint8Array, section: Section): NameSectionContents {
  try {
    return runOnBytes(readNameSection(section.dataStart, section.end), input);
  } catch (error) {
    if (!(error instanceof WasmMetaError)) throw error;
    throw new WasmMetaError(
      'invalid-metadata',
      `cannot edit the name in the invalid \`${section.name}\` section (${error.reason})`,
      section.start,
    );
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
