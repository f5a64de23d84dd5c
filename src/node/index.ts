/** wasm-meta's Node.js layer: reading WebAssembly files from disk. */
export { readMetadataFromFile, readMetadataFromFileSync, type ReadStats } from './read-file.js';
