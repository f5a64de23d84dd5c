import { type Stats, constants, unlinkSync } from 'node:fs';
import { type FileHandle, copyFile, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WasmMetaError } from '../errors.js';
import { ioError } from './read-file.js';

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Called with the temporary file's path once every chunk is written, before the rename:
   * throwing (or rejecting) here, for bytes that fail a check, removes the temporary file and
   * leaves the target untouched.
   */
  verify?: (tempPath: string) => void | Promise<void>;
  /** File mode of the new file (as `fs.chmod` takes it); by default 0o666 less the umask. */
  mode?: number;
  /** Owner to give the new file, when the process may (keeping an edited file's owner). */
  owner?: { uid: number; gid: number };
  /**
   * The first `length` bytes of the file at `path` begin the new file, copied by the kernel
   * (`copyFile`: a reflink where the file system has them, else `copy_file_range`) rather than
   * through memory; `chunks` follow them.
   */
  prefix?: { path: string; length: number };
}

/** The name pattern of temporary files, documented so that leftovers can be recognised. */
export const TEMP_FILE_PATTERN = /^\..+\.wasm-meta-[0-9a-f]{12}\.tmp$/;

/**
 * The temporary file beside `path` that {@link writeFileAtomic} writes first. The name need not
 * be unguessable: the file is created with O_EXCL, which never follows or reuses a path.
 */
export function tempPathFor(path: string): string {
  const suffix = Math.floor(Math.random() * 2 ** 48)
    .toString(16)
    .padStart(12, '0');
  return join(dirname(path), `.${basename(path)}.wasm-meta-${suffix}.tmp`);
}

/**
 * Writes a file atomically: `path` holds either its old bytes or all of the new ones, whatever
 * happens.
 *
 * Writes `chunks` (bytes in memory, or a stream) to `path` so that `path` holds either its old
 * bytes or all of the new ones,
 * whatever happens: the chunks are streamed to a temporary file in the same directory
 * (`.NAME.wasm-meta-XXXXXXXXXXXX.tmp`), flushed to disk, and renamed over `path`; then the
 * directory is flushed. On failure, or on SIGINT/SIGTERM/SIGHUP during the write, the
 * temporary file is removed. (A `kill -9` can leave it behind, never a damaged `path`.)
 */
export async function writeFileAtomic(
  path: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temp = tempPathFor(path);
  const removeTemp = (): void => {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    removeTemp();
    process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let handle: FileHandle | undefined;
  for (const signal of signals) process.once(signal, onSignal);
  try {
    handle = await open(temp, 'wx', options.mode ?? 0o666);
    let position = 0;
    if (options.prefix !== undefined) {
      // Over the file just created: it was made with O_EXCL, and its mode (the umask's) is kept.
      const { mode } = await handle.stat();
      await handle.close();
      handle = undefined;
      await copyFile(options.prefix.path, temp, constants.COPYFILE_FICLONE);
      handle = await open(temp, 'r+');
      await handle.chmod(options.mode ?? mode & 0o7777);
      await handle.truncate(options.prefix.length);
      position = options.prefix.length;
    } else if (options.mode !== undefined) await handle.chmod(options.mode);
    if (options.owner !== undefined) {
      await handle.chown(options.owner.uid, options.owner.gid).catch(() => undefined);
    }
    for await (const chunk of chunks) {
      for (let done = 0; done < chunk.length;) {
        const { bytesWritten } = await handle.write(chunk, done, chunk.length - done, position);
        done += bytesWritten;
        position += bytesWritten;
      }
    }
    await options.verify?.(temp);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error instanceof WasmMetaError ? error : ioError(path, error);
  } finally {
    for (const signal of signals) process.removeListener(signal, onSignal);
  }
  await syncDirectory(dirname(path));
}

/** Flushes a directory, so that a rename in it survives a crash. Not all systems allow it. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename has still happened.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes an edited binary atomically. In place (`inPlace`), the file a symbolic link points to
 * is edited, not the link; its mode and owner are kept; a read-only file is refused. To another
 * file, an existing file's mode and owner are kept too.
 */
export async function writeEditedFile(
  path: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: { inPlace: boolean; prefix?: AtomicWriteOptions['prefix'] },
): Promise<void> {
  let target = path;
  let existing: Stats | undefined;
  try {
    if (options.inPlace) target = await realpath(path);
    existing = await stat(target);
  } catch (error) {
    if (options.inPlace || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(path, error);
  }
  if (existing !== undefined && options.inPlace && (existing.mode & 0o222) === 0) {
    throw new WasmMetaError('io', `${path}: the file is read-only`);
  }
  await writeFileAtomic(target, chunks, {
    ...(existing === undefined
      ? {}
      : { mode: existing.mode & 0o7777, owner: { uid: existing.uid, gid: existing.gid } }),
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  });
}
