/** wasm-meta's Node.js layer: reading WebAssembly files from disk and writing them atomically. */
export { readMetadataFromFile, readMetadataFromFileSync, type ReadStats } from './read-file.js';
export { TEMP_FILE_PATTERN, writeFileAtomic, type AtomicWriteOptions } from './write-file.js';
