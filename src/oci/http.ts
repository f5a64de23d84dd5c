/** Small helpers over `fetch` responses, shared by the registry client and the token flow. */

import { joinChunks } from '../binary/chunks.js';

/** Bounds on bodies read into memory: errors, tokens, image manifests and small JSON documents. */
export const MAX_ERROR_BODY = 64 * 1024;
export const MAX_JSON_BODY = 4 * 1024 * 1024;

/** Reads a body, failing with `tooLarge()` as soon as it passes `maxBytes`. */
export async function readLimited(response: Response, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return joinChunks(chunks);
}

/** Discards a body that will not be read, so that the connection can be reused. */
export async function drain(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // already closed
  }
}

/** The most specific message of a failed `fetch` (undici puts the reason in `cause`). */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const inner = cause instanceof Error ? cause.message : undefined;
  return inner ?? (error instanceof Error ? error.message : String(error));
}
