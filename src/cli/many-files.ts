import { WasmMetaError } from '../errors.js';
import { EXIT } from './exit-codes.js';
import { errorMessage, report } from './report.js';
import { reportInternalError } from './run.js';

/**
 * What `add` and `check` share when they are given several files: each file is processed on
 * its own, a file that fails is reported with its name and the run goes on, and the run exits
 * with the worst code of all.
 */

/**
 * How bad each exit code is, worst first: a bug (70), then a file that could not be read or
 * written (1: the build's output is broken), then metadata that disagrees (3: the file was read
 * and needs fixing), then success.
 */
const SEVERITY: readonly number[] = [EXIT.internal, EXIT.badInput, EXIT.mismatch, EXIT.ok];

/** The exit code of a run over several files: the worst of theirs (see `SEVERITY`). */
export function worstExit(codes: readonly number[]): number {
  return SEVERITY.find((code) => codes.includes(code)) ?? EXIT.ok;
}

/** How processing one file ended: its exit code and, if it failed, the message printed. */
export interface FileOutcome {
  exit: number;
  error?: string;
}

/**
 * Runs `work` for one file; an error it throws is reported on standard error, naming the file
 * (`wasm-meta: error: dist/c.wasm: …`), and becomes the file's exit code, so that the next file
 * can still be processed. A usage error still stops the run.
 */
export async function processFile(file: string, work: () => Promise<number>): Promise<FileOutcome> {
  try {
    return { exit: await work() };
  } catch (error) {
    if (error instanceof WasmMetaError) return { exit: report(file, error), error: errorMessage(file, error) };
    return { exit: reportInternalError(error), error: `internal error: ${String(error)}` };
  }
}

/**
 * One group of the summary line: `2 written (dist/a.wasm, dist/b.wasm)`; nothing for an empty
 * group unless `always`.
 */
export function summaryGroup(label: string, files: readonly string[], always = false): string[] {
  if (files.length === 0) return always ? [`0 ${label}`] : [];
  return [`${files.length} ${label} (${files.join(', ')})`];
}
