import { WasmMetaError } from '../errors.js';
import type { WasmBinary } from '../metadata.js';
import type { ReadOptions } from '../read.js';
import { type SbomDocument, buildSbom } from '../sbom/cyclonedx.js';
import { type BinaryHashes, hashBinaryRanges } from '../sbom/range-hashes.js';
import { ioError, readMetadataFromFile } from './read-file.js';
import { nodeSha256 } from './sha256.js';

/** Options of {@link buildSbomFromFile}. */
export interface SbomFileOptions extends ReadOptions {
  /** When the SBOM was made (RFC 3339); without it the document has no timestamp. */
  created?: string;
}

/** Bytes read at a time while hashing. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Builds the CycloneDX SBOM of a WebAssembly file on disk, as `buildSbom` describes it.
 *
 * The metadata is read by position, then one sequential pass hashes the file and every nested
 * binary's byte range, holding one chunk of the file at a time.
 */
export async function buildSbomFromFile(path: string, options: SbomFileOptions = {}): Promise<SbomDocument> {
  const { created, ...readOptions } = options;
  const tree = await readMetadataFromFile(path, readOptions);
  const hashes = await hashFileBinaryRanges(path, tree);
  return buildSbom({ tree, hashes, sha256: nodeSha256, ...(created === undefined ? {} : { created }) });
}

/** The hashes of every binary of `tree`, read from the file at `path` in one sequential pass. */
export async function hashFileBinaryRanges(path: string, tree: WasmBinary): Promise<BinaryHashes> {
  try {
    return await hashBinaryRanges(tree, chunksOf(path), nodeSha256);
  } catch (error) {
    if (error instanceof WasmMetaError) throw new WasmMetaError(error.code, `${path}: ${error.message}`);
    throw ioError(path, error);
  }
}

/**
 * The file's bytes from start to end, read into one buffer over and over: each chunk is valid
 * until the next is asked for, which is all a hash needs, and a 200 MB file leaves no garbage.
 */
async function* chunksOf(path: string): AsyncGenerator<Uint8Array> {
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
