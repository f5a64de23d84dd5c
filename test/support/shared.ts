import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `../shared` beside the checkout (spec, reference cases, corpus), or `WASM_META_SHARED`.
 * It is absent in a fresh clone: tests that need it skip, saying why.
 */
export const SHARED_DIR = resolve(process.env['WASM_META_SHARED'] ?? join(REPO_ROOT, '..', 'shared'));

/** Whether the shared folder is there. */
export const HAS_SHARED = existsSync(join(SHARED_DIR, 'corpus')) && existsSync(join(SHARED_DIR, 'reference'));

/** Prints why a test file's shared-data tests are skipped; returns whether they run. */
export function sharedAvailable(what: string): boolean {
  if (!HAS_SHARED) console.warn(`skipping ${what}: ${SHARED_DIR} is absent (it is beside the checkout in CI)`);
  return HAS_SHARED;
}
