import { expect } from 'vitest';
import { WasmMetaError } from '../../src/errors.js';

/** The `WasmMetaError` that `promise` rejects with; the test fails if it resolves or rejects otherwise. */
export async function failure(promise: Promise<unknown>): Promise<WasmMetaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WasmMetaError);
  return error as WasmMetaError;
}
