import type { FileHandle } from 'node:fs/promises';
import { runAsync } from '../binary/byte-source.js';
import { type MetadataEdit, normalizeEdit } from '../edit/edit.js';
import { locating } from '../edit/locate.js';
import { type EditResult, METADATA_SECTIONS, applyEdit, editWalkReads } from '../edit/rewrite.js';
import { WasmMetaError } from '../errors.js';
import type { ReadOptions } from '../read.js';
import { NAME_SECTION, COMPONENT_NAME_SECTION } from '../sections/names.js';
import { ioError, readFully } from './read-file.js';
import { ReadWindow } from './read-window.js';

/** Bytes `start..end` of the input file, unchanged. */
export interface InputRange {
  start: number;
  end: number;
}

/** The edited file as pieces in order: new bytes, or ranges of the input to copy. */
export type EditedPiece = Uint8Array | InputRange;

/** An edit of a file worked out by positional reads; the output is {@link pieces}. */
export interface FileEditPlan extends Omit<EditResult, 'chunks'> {
  pieces: EditedPiece[];
  /** Size of the input file. */
  inputSize: number;
}

/**
 * Works out an edit of a file without reading the whole file: only the section headers and the
 * metadata sections the edit decodes are read, by position, into a sparse buffer the size of
 * the file (untouched pages of a zero-filled allocation take no memory). `applyEdit` then runs
 * on that buffer; its views of unchanged input become {@link InputRange}s, to be copied from the
 * file itself, so the result is byte for byte `applyEdit` on the whole file.
 */
export async function planFileEdit(path: string, edit: MetadataEdit, options: ReadOptions = {}): Promise<FileEditPlan> {
  const normalized = normalizeEdit(edit);
  let handle: FileHandle | undefined;
  try {
    const { open } = await import('node:fs/promises');
    handle = await open(path, 'r');
    const file = handle;
    const { size } = await file.stat();
    const sparse = new Uint8Array(size);
    const window = new ReadWindow(size);
    const load = async (offset: number, length: number): Promise<Uint8Array> => {
      if (window.lookup(offset, length) === undefined) {
        const bytes = await readFully(file, new Uint8Array(window.plan(offset, length)), offset, path);
        window.store(offset, bytes, length);
        sparse.set(bytes, offset);
      }
      return sparse.subarray(offset, offset + length);
    };
    // The same walk as applyEdit's, so that every byte it asks for is loaded.
    const chain = await runAsync(locating(size, normalized.nested ?? [], editWalkReads(normalized, options)), load);
    // The sections the rewrite decodes: the target's metadata sections (name sections only
    // when the name changes, as they can be large).
    const decodesNames = normalized.name !== undefined || normalized.clearAll === true;
    for (const section of chain[chain.length - 1]?.sections ?? []) {
      if (section.name === undefined || !METADATA_SECTIONS.has(section.name)) continue;
      const isName = section.name === NAME_SECTION || section.name === COMPONENT_NAME_SECTION;
      if (!isName || decodesNames) await load(section.dataStart, section.end - section.dataStart);
    }
    const { chunks, ...result } = applyEdit(sparse, normalized, options);
    const pieces = chunks.map((chunk): EditedPiece =>
      chunk.buffer === sparse.buffer ? { start: chunk.byteOffset, end: chunk.byteOffset + chunk.length } : chunk,
    );
    return { ...result, pieces, inputSize: size };
  } catch (error) {
    throw error instanceof WasmMetaError ? error : ioError(path, error);
  } finally {
    await handle?.close();
  }
}

/** Where the output first differs from the input: the length of the unchanged prefix. */
export function unchangedPrefix(pieces: readonly EditedPiece[]): number {
  const first = pieces[0];
  return first !== undefined && !(first instanceof Uint8Array) && first.start === 0 ? first.end : 0;
}

/** Largest read from the input while copying a range of it through memory. */
const COPY_CHUNK = 1024 * 1024;

/**
 * The output from byte `from` on, as chunks: new bytes as they are, input ranges read by
 * position into one reused 1 MiB buffer, so that memory stays bounded at any file size (and no
 * garbage piles up). Each chunk must be consumed before the next is asked for.
 */
export async function* outputFrom(
  input: FileHandle,
  path: string,
  pieces: readonly EditedPiece[],
  from: number,
): AsyncGenerator<Uint8Array> {
  let position = 0;
  let buffer: Uint8Array | undefined;
  for (const piece of pieces) {
    const length = piece instanceof Uint8Array ? piece.length : piece.end - piece.start;
    const skip = Math.max(0, Math.min(length, from - position));
    position += length;
    if (skip === length) continue;
    if (piece instanceof Uint8Array) {
      yield piece.subarray(skip);
      continue;
    }
    buffer ??= new Uint8Array(COPY_CHUNK);
    for (let at = piece.start + skip; at < piece.end; at += COPY_CHUNK) {
      yield await readFully(input, buffer.subarray(0, Math.min(COPY_CHUNK, piece.end - at)), at, path);
    }
  }
}
