import { fstatSync, readFileSync } from 'node:fs';
import { joinChunks } from '../binary/chunks.js';
import type { WasmMetaError } from '../errors.js';
import type { WasmBinary } from '../metadata.js';
import { type ReadOptions, readMetadata } from '../read.js';
import { ioError, readMetadataFromFileSync } from '../node/read-file.js';
import { UsageError } from './command.js';

/** The name used for standard input in messages. */
export const STDIN_NAME = '<stdin>';

/**
 * Reads the metadata of the file named on the command line, or of standard input for `-`.
 * Files, and standard input redirected from a file, are read by position; a pipe is read
 * whole into memory.
 */
export async function readInputMetadata(file: string, options: ReadOptions): Promise<WasmBinary> {
  if (file !== '-') return readMetadataFromFileSync(file, options);
  if (process.stdin.isTTY) throw new UsageError('no input: give a file, or pipe one to standard input');
  if (stdinIsFile()) return readMetadataFromFileSync({ fd: 0, name: STDIN_NAME }, options);
  return readMetadata(await readStdin(), options);
}

/** Reads the whole input file, or standard input for `-`, into memory (one copy). */
export async function readInputBytes(file: string): Promise<Uint8Array> {
  if (file !== '-') {
    try {
      return readFileSync(file);
    } catch (error) {
      throw ioError(file, error);
    }
  }
  if (process.stdin.isTTY) throw new UsageError('no input: give a file, or pipe one to standard input');
  if (stdinIsFile()) {
    try {
      return readFileSync(0);
    } catch (error) {
      throw ioError(STDIN_NAME, error);
    }
  }
  return readStdin();
}

/** Whether standard input is redirected from a regular file (which can be read by position). */
export function stdinIsFile(): boolean {
  try {
    return fstatSync(0).isFile();
  } catch {
    return false;
  }
}

/** Reads all of standard input. */
export async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  } catch (error) {
    throw ioError(STDIN_NAME, error);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : joinChunks(chunks);
}

/** The message for a failed read: `<file>: <reason> at byte offset N (0x…)`. */
export function describeInputError(file: string, error: WasmMetaError): string {
  // I/O errors already name the file.
  return error.code === 'io' ? error.message : `${file === '-' ? STDIN_NAME : file}: ${error.message}`;
}
