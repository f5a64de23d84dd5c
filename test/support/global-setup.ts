import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { writeLargeInputs } from './files.js';

/**
 * vitest's global setup: builds the large generated inputs once for the whole run, for every
 * test file to share (test/support/large-inputs.ts), and removes them when the run ends.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-meta-large-'));
  writeLargeInputs(dir);
  project.provide('largeInputsDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
