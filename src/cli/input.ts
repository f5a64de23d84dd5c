import { fstatSync } from 'node:fs';
import type { WasmMetaError } from '../errors.js';
import type { WasmBinary } from '../metadata.js';
import { type ReadOptions, readMetadata } from '../read.js';
import { ioError, readMetadataFromFileSync } from '../node/read-file.js';

/** The name used for standard input in messages. */
export const STDIN_NAME = '<stdin>';

/** Thrown for command-line mistakes, which exit with the usage code. */
export class UsageError extends Error {}

/**
 * Reads the metadata of the file named on the command line, or of standard input for `-`.
 * Files, and standard input redirected from a file, are read by position; a pipe is read
 * whole into memory.
 */
export async function readInputMetadata(file: string, options: ReadOptions): Promise<WasmBinary> {
  if (file !== '-') return readMetadataFromFileSync(file, options);
  if (process.stdin.isTTY) throw new UsageError('no input: give a file, or pipe one to standard input');
  let isFile = false;
  try {
    isFile = fstatSync(0).isFile();
  } catch {
    // Not a regular file: read it as a stream.
  }
  if (isFile) return readMetadataFromFileSync({ fd: 0, name: STDIN_NAME }, options);
  return readMetadata(await readStdin(), options);
}

/** Reads all of standard input. */
export async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Uint8Array);
      length += (chunk as Uint8Array).length;
    }
  } catch (error) {
    throw ioError(STDIN_NAME, error);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** The message for a failed read: `<file>: <reason> at byte offset N (0x…)`. */
export function describeInputError(file: string, error: WasmMetaError): string {
  // I/O errors already name the file.
  return error.code === 'io' ? error.message : `${file === '-' ? STDIN_NAME : file}: ${error.message}`;
}
