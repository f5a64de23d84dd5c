/** wasm-meta's version, recorded as `processed-by wasm-meta <VERSION>`; kept equal to package.json's by a test. */
export const VERSION = '0.1.0';
