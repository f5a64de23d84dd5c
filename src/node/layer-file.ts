import { type FileHandle, open } from 'node:fs/promises';
import { WasmMetaError } from '../errors.js';
import type { WasmBinary } from '../metadata.js';
import type { Sha256Factory } from '../oci/digest.js';
import { readMetadataFrom } from '../read.js';
import { SequentialReading } from '../binary/sequential-reading.js';
import { type ReadStats, ioError } from './read-file.js';

/** Bytes per read: few system calls, and a buffer that does not grow with the file. */
const CHUNK_BYTES = 1024 * 1024;

/** A Wasm file about to become a layer: its metadata, digest and size, from one reading. */
export interface LayerFile {
  binary: WasmBinary;
  digest: string;
  size: number;
}

/**
 * Reads a Wasm file once, from start to end, and computes its SHA-256 and its metadata tree
 * from the same bytes: the metadata reader is driven from the chunks being hashed, so the
 * annotations and the digest describe the same bytes and the file is not read twice. A file
 * that changes size meanwhile is an error.
 */
export async function readLayerFile(path: string, sha256: Sha256Factory, stats?: ReadStats): Promise<LayerFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw ioError(path, error);
  }
  try {
    const { size } = await handle.stat();
    const hash = sha256();
    const reading = new SequentialReading(readMetadataFrom(size));
    const buffer = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(size, 1)));
    for (let position = 0; position < size;) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - position), position);
      if (bytesRead === 0) throw new WasmMetaError('io', `${path}: the file shrank while it was being read`, position);
      count(stats, size, bytesRead);
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      reading.push(chunk);
      position += bytesRead;
    }
    const binary = reading.finish();
    if ((await handle.stat()).size !== size)
      throw new WasmMetaError('io', `${path}: the file changed while it was read`);
    return { binary, digest: hash.digest(), size };
  } catch (error) {
    throw error instanceof WasmMetaError ? error : ioError(path, error);
  } finally {
    await handle.close();
  }
}

/**
 * The first `size` bytes of a file as a stream, for an upload: it fails if the file has fewer.
 * Bytes that changed since {@link readLayerFile} are caught by the registry, which checks the
 * digest the upload is made under.
 */
export function layerFileBody(
  path: string,
  size: number,
  onChunk: (bytes: number) => void,
  stats?: ReadStats,
): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined;
  let position = 0;
  const close = async (): Promise<void> => {
    const open = handle;
    handle = undefined;
    await open?.close();
  };
  return new ReadableStream<Uint8Array>({
    async start() {
      try {
        handle = await open(path, 'r');
      } catch (error) {
        throw ioError(path, error);
      }
    },
    async pull(controller) {
      try {
        if (position === size || handle === undefined) {
          await close();
          controller.close();
          return;
        }
        const buffer = new Uint8Array(Math.min(CHUNK_BYTES, size - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) throw new WasmMetaError('io', `${path}: the file shrank while it was pushed`, position);
        count(stats, size, bytesRead);
        position += bytesRead;
        onChunk(bytesRead);
        controller.enqueue(buffer.subarray(0, bytesRead));
      } catch (error) {
        await close().catch(() => undefined);
        throw error instanceof WasmMetaError ? error : ioError(path, error);
      }
    },
    cancel: close,
  });
}

function count(stats: ReadStats | undefined, fileSize: number, bytes: number): void {
  if (stats === undefined) return;
  stats.fileSize = fileSize;
  stats.bytesRead += bytes;
  stats.reads++;
}
