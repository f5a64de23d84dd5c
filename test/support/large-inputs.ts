import { join } from 'node:path';
import { inject } from 'vitest';
import { LARGE_INPUTS, type LargeInputName } from './files.js';

export { LARGE_INPUTS, type LargeInputName };

declare module 'vitest' {
  export interface ProvidedContext {
    /** The directory that holds this run's large inputs (test/support/global-setup.ts). */
    largeInputsDir: string;
  }
}

/**
 * The path of the shared, read-only copy of a large input, built once per run by the global
 * setup (see LARGE_INPUTS in test/support/files.ts).
 */
export function largeInput(name: LargeInputName): string {
  return join(inject('largeInputsDir'), `${name}.wasm`);
}
