import { WasmMetaError } from '../errors.js';
import type { WasmBinary } from '../metadata.js';
import type { ReadOptions } from '../read.js';
import { type SbomDocument, buildSbom } from '../sbom/cyclonedx.js';
import { type BinaryHashes, hashBinaryRanges } from '../sbom/range-hashes.js';
import { fileChunks, ioError, readMetadataFromFile } from './read-file.js';
import { nodeSha256 } from './sha256.js';

/** Options of {@link buildSbomFromFile}. */
export interface SbomFileOptions extends ReadOptions {
  /** When the SBOM was made (RFC 3339); without it the document has no timestamp. */
  created?: string;
}

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
    return await hashBinaryRanges(tree, fileChunks(path), nodeSha256);
  } catch (error) {
    if (error instanceof WasmMetaError) throw new WasmMetaError(error.code, `${path}: ${error.message}`);
    throw ioError(path, error);
  }
}
