import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { type ByteReading, runAsync, runSync } from '../binary/byte-source.js';
import { WasmMetaError } from '../errors.js';
import type { WasmBinary } from '../metadata.js';
import { type ReadOptions, readMetadataFrom } from '../read.js';
import { ReadWindow } from './read-window.js';

/** What reading a file cost, for benchmarks and tests. */
export interface ReadStats {
  fileSize: number;
  bytesRead: number;
  reads: number;
}

/**
 * Reads the metadata tree of a WebAssembly file, reading only the section headers and metadata
 * sections.
 *
 * Reads the metadata tree of a WebAssembly file on disk by position: only section headers and
 * metadata sections are read, never the whole file (a 50 MB module costs a few kilobytes).
 * Throws a {@link WasmMetaError} for bad input, including files that cannot be opened.
 */
export async function readMetadataFromFile(path: string, options: ReadOptions = {}): Promise<WasmBinary> {
  let handle: FileHandle;
  try {
    // Loaded here: the synchronous reader, which the CLI uses, does not need it.
    const { open } = await import('node:fs/promises');
    handle = await open(path, 'r');
  } catch (error) {
    throw ioError(path, error);
  }
  try {
    const { size } = await handle.stat();
    const window = new ReadWindow(size);
    return await runAsync(readMetadataFrom(size, options), async (offset, length) => {
      const cached = window.lookup(offset, length);
      if (cached !== undefined) return cached;
      const buffer = await readFully(handle, new Uint8Array(window.plan(offset, length)), offset, path);
      return window.store(offset, buffer, length);
    });
  } catch (error) {
    throw error instanceof WasmMetaError ? error : ioError(path, error);
  } finally {
    await handle.close();
  }
}

/**
 * The synchronous form of {@link readMetadataFromFile}, for command-line use. `fd` may be
 * given instead of a path to read an already open regular file (such as redirected stdin);
 * `stats`, if given, receives what the read cost.
 */
export function readMetadataFromFileSync(
  file: string | { fd: number; name: string },
  options: ReadOptions = {},
  stats?: ReadStats,
): WasmBinary {
  return runOnFileSync(file, (size) => readMetadataFrom(size, options), stats);
}

/**
 * Runs a reading of the file's bytes (made from its size) by position, synchronously: the
 * driver of {@link readMetadataFromFileSync}, for the command line's own readings as well.
 */
export function runOnFileSync<T>(
  file: string | { fd: number; name: string },
  reading: (size: number) => ByteReading<T>,
  stats?: ReadStats,
): T {
  const name = typeof file === 'string' ? file : file.name;
  let fd: number;
  try {
    fd = typeof file === 'string' ? openSync(file, 'r') : file.fd;
  } catch (error) {
    throw ioError(name, error);
  }
  try {
    const { size } = fstatSync(fd);
    const window = new ReadWindow(size);
    const result = runSync(reading(size), (offset, length) => {
      const cached = window.lookup(offset, length);
      if (cached !== undefined) return cached;
      const buffer = new Uint8Array(window.plan(offset, length));
      let filled = 0;
      while (filled < buffer.length) {
        const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, offset + filled);
        if (bytesRead === 0)
          throw new WasmMetaError('io', `${name}: the file shrank while it was being read`, offset + filled);
        filled += bytesRead;
      }
      return window.store(offset, buffer, length);
    });
    if (stats !== undefined) Object.assign(stats, { fileSize: size, bytesRead: window.bytesRead, reads: window.reads });
    return result;
  } catch (error) {
    throw error instanceof WasmMetaError ? error : ioError(name, error);
  } finally {
    if (typeof file === 'string') closeSync(fd);
  }
}

/** Wraps a failed file operation in a `WasmMetaError` that names the file. */
export function ioError(path: string, error: unknown): WasmMetaError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : error instanceof Error
            ? error.message
            : String(error);
  return new WasmMetaError('io', `${path}: ${reason}`, undefined, { cause: error });
}

/**
 * The file's bytes from start to end, read into one buffer over and over: each chunk is valid
 * until the next is asked for, which is all a hash needs, and a 200 MB file leaves no garbage.
 * Errors are the file system's own; callers name the file (`ioError`).
 */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(1024 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Fills `buffer` with the file's bytes from `position`; a file that ends first shrank while read. */
export async function readFully(
  handle: FileHandle,
  buffer: Uint8Array,
  position: number,
  path: string,
): Promise<Uint8Array> {
  for (let filled = 0; filled < buffer.length;) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0)
      throw new WasmMetaError('io', `${path}: the file shrank while it was being read`, position + filled);
    filled += bytesRead;
  }
  return buffer;
}
