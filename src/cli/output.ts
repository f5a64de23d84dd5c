import { once } from 'node:events';
import { writeSync } from 'node:fs';
import { writeEditedFile } from '../node/write-file.js';
import { UsageError } from './command.js';

/**
 * Writes text to standard output. It writes to the file descriptor directly, which spares
 * Node setting up the stdout stream (milliseconds that `show` would otherwise spend); if the
 * descriptor is a non-blocking pipe that is full, the rest goes through the stream, and the
 * promise waits until it is handed to the OS. A closed pipe (`| head`) ends the write quietly.
 */
export async function writeStdout(text: string | Uint8Array): Promise<void> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written, bytes.length - written);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return;
    if (code !== 'EAGAIN') throw error;
  }
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(bytes.subarray(written), (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== 'EPIPE') reject(error);
      else resolve();
    });
  });
}

/**
 * How wide a table on standard output may be: `COLUMNS` when it is set to a number, else the
 * terminal's width, else `fallback` (for a file or a pipe).
 */
export function outputWidth(fallback: number): number {
  const columns = Number.parseInt(process.env['COLUMNS'] ?? '', 10);
  if (Number.isSafeInteger(columns) && columns > 0) return columns;
  return process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : fallback;
}

/** Where an edited binary goes: over the input, to a file, or to standard output. */
export type OutputTarget = { kind: 'in-place'; path: string } | { kind: 'file'; path: string } | { kind: 'stdout' };

/**
 * Decides where the output of an editing command goes, before any input is read. Binary
 * output goes to standard output only when it is not a terminal.
 */
export function outputTarget(input: string, output: string | undefined, inPlace: boolean): OutputTarget {
  if (inPlace) {
    if (input === '-') throw new UsageError('--in-place needs a file, not standard input');
    return { kind: 'in-place', path: input };
  }
  if (output !== undefined && output !== '-') return { kind: 'file', path: output };
  if (process.stdout.isTTY) {
    throw new UsageError(
      'refusing to write a binary to the terminal: give -o FILE or --in-place, or redirect the output',
    );
  }
  return { kind: 'stdout' };
}

/** Writes an edited binary to its target: atomically for files, streamed for standard output. */
export async function writeOutput(target: OutputTarget, chunks: readonly Uint8Array[]): Promise<void> {
  if (target.kind !== 'stdout') {
    await writeEditedFile(target.path, chunks, { inPlace: target.kind === 'in-place' });
    return;
  }
  for (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  }
  await writeStdout('');
}
