import { type ByteReading, runOnBytes } from '../binary/byte-source.js';
import { type WalkedBinary, walkBinaries } from '../binary/walk.js';
import { binaryJsonParts } from '../format/show-json.js';
import { type ShowNode, showNodeOf } from '../format/show-model.js';
import type { Diagnostic, WasmBinary } from '../metadata.js';
import { runOnFileSync } from '../node/read-file.js';
import { type Frame, MetadataReader, type ReadOptions } from '../read.js';
import { UsageError } from './command.js';
import { STDIN_NAME, readStdin, stdinIsFile } from './input.js';

/**
 * What `show` prints of a file: one `T` for the outermost binary, made from the `T`s of its
 * children, and the diagnostics in file order.
 */
export interface ShowRead<T> {
  root: T;
  diagnostics: Diagnostic[];
}

/** Makes what is kept of a binary at `path` once it has ended, from what was kept of its children. */
export type Keep<T> = (binary: WasmBinary, path: readonly number[], children: T[]) => T;

interface KeepingFrame<T> extends Frame {
  path: readonly number[];
  /** What was kept of the children read so far. */
  kept: T[];
}

/**
 * The metadata reader, keeping of each binary only what `show` prints (see {@link Keep}). Each
 * `WasmBinary` is dropped as soon as its binary ends: for a component of 10 000 modules the
 * tables need about a megabyte rather than eight, and V8 need not grow its young generation.
 */
class KeepingReader<T> extends MetadataReader {
  readonly diagnostics: Diagnostic[] = [];
  root: T | undefined;

  constructor(
    options: ReadOptions,
    private readonly keep: Keep<T>,
  ) {
    super(options);
  }

  override enter(binary: WalkedBinary, parent?: KeepingFrame<T>): KeepingFrame<T> {
    const frame = super.enter(binary) as KeepingFrame<T>;
    // Children are entered in order, each after the one before has ended.
    frame.path = parent === undefined ? [] : [...parent.path, parent.kept.length];
    frame.kept = [];
    return frame;
  }

  override leave(frame: KeepingFrame<T>, parent: KeepingFrame<T> | undefined): void {
    const binary = this.finish(frame);
    const kept = this.keep(binary, frame.path, frame.kept);
    this.diagnostics.push(...binary.diagnostics);
    if (parent === undefined) this.root = kept;
    else parent.kept.push(kept);
  }
}

/** The sans-I/O reading of {@link readKeepingInput}, for a binary of `length` bytes. */
export function* readKeeping<T>(length: number, options: ReadOptions, keep: Keep<T>): ByteReading<ShowRead<T>> {
  const reader = new KeepingReader(options, keep);
  yield* walkBinaries(length, reader);
  // Each binary's diagnostics were added when it ended; sorted, they are in file order again.
  return { root: reader.root as T, diagnostics: reader.diagnostics.sort((a, b) => a.offset - b.offset) };
}

/**
 * Reads the file named on the command line, or standard input for `-`, keeping of each binary
 * what `keep` makes of it. Files, and standard input redirected from a file, are read by
 * position; a pipe is read whole into memory.
 */
export async function readKeepingInput<T>(file: string, options: ReadOptions, keep: Keep<T>): Promise<ShowRead<T>> {
  const reading = (size: number): ByteReading<ShowRead<T>> => readKeeping(size, options, keep);
  if (file !== '-') return runOnFileSync(file, reading);
  if (process.stdin.isTTY) throw new UsageError('no input: give a file, or pipe one to standard input');
  if (stdinIsFile()) return runOnFileSync({ fd: 0, name: STDIN_NAME }, reading);
  const bytes = await readStdin();
  return runOnBytes(reading(bytes.length), bytes);
}

/** What the tables keep of a binary: its cells, equal lists of cells shared across the file. */
export function keepCells(): Keep<ShowNode> {
  const shared = new Map<string, unknown>();
  return (binary, _path, children) => showNodeOf(binary, children, shared);
}

/**
 * What `--json` keeps of a binary: its JSON, written into one growing byte buffer outside the
 * JS heap. A binary's JSON comes before its children's but is known only after them: its
 * opening part is put in front of theirs when it ends. `keep` gives where a binary's JSON
 * starts, and `json()` the whole once the outermost has ended.
 */
export function keepJsonBytes(): { keep: Keep<number>; json: () => Uint8Array } {
  const encoder = new TextEncoder();
  let buffer = new Uint8Array(64 * 1024);
  let length = 0;
  const reserve = (count: number): void => {
    if (length + count <= buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * buffer.length, length + count));
    grown.set(buffer.subarray(0, length));
    buffer = grown;
  };
  const keep: Keep<number> = (binary, path, children) => {
    const [open, close] = binaryJsonParts(binary, path);
    // A child after the first is preceded by a comma.
    const head = (path[path.length - 1] ?? 0) > 0 ? `,${open}` : open;
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    reserve((head.length + close.length) * 3);
    const start = children[0] ?? length;
    if (start === length) {
      length += encoder.encodeInto(head, buffer.subarray(length)).written;
    } else {
      const headBytes = encoder.encode(head);
      buffer.copyWithin(start + headBytes.length, start, length);
      buffer.set(headBytes, start);
      length += headBytes.length;
    }
    length += encoder.encodeInto(close, buffer.subarray(length)).written;
    return start;
  };
  return { keep, json: () => buffer.subarray(0, length) };
}
