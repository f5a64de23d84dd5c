import { once } from 'node:events';
import { type Stats, writeSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { WasmMetaError } from '../errors.js';
import { ioError } from '../node/read-file.js';
import { writeFileAtomic } from '../node/write-file.js';
import { UsageError } from './input.js';

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

/** Where an edited binary goes: over the input, to a file, or to standard output. */
export type OutputTarget = { kind: 'in-place'; path: string } | { kind: 'file'; path: string } | { kind: 'stdout' };

/**
 * Decides where the output of an editing command goes, before any input is read. Binary
 * output goes to standard output only when it is not a terminal.
 */
export function outputTarget(input: string, options: { output?: string; inPlace?: boolean }): OutputTarget {
  if (options.inPlace) {
    if (input === '-') throw new UsageError('--in-place needs a file, not standard input');
    return { kind: 'in-place', path: input };
  }
  if (options.output !== undefined && options.output !== '-') return { kind: 'file', path: options.output };
  if (process.stdout.isTTY) {
    throw new UsageError(
      'refusing to write a binary to the terminal: give -o FILE or --in-place, or redirect the output',
    );
  }
  return { kind: 'stdout' };
}

/** Writes an edited binary to its target: atomically for files, streamed for standard output. */
export async function writeOutput(target: OutputTarget, chunks: readonly Uint8Array[]): Promise<void> {
  if (target.kind === 'stdout') {
    for (const chunk of chunks) {
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    }
    await writeStdout('');
    return;
  }
  let path = target.path;
  let existing: Stats | undefined;
  try {
    // Edit the file a symbolic link points to, not the link.
    if (target.kind === 'in-place') path = await realpath(path);
    existing = await stat(path);
  } catch (error) {
    if (target.kind === 'in-place' || (error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw ioError(target.path, error);
  }
  if (existing !== undefined && target.kind === 'in-place' && (existing.mode & 0o222) === 0) {
    throw new WasmMetaError('io', `${target.path}: the file is read-only`);
  }
  const mode = existing === undefined ? undefined : existing.mode & 0o7777;
  const owner = existing === undefined ? undefined : { uid: existing.uid, gid: existing.gid };
  await writeFileAtomic(path, chunks, {
    ...(mode === undefined ? {} : { mode }),
    ...(owner === undefined ? {} : { owner }),
  });
}
