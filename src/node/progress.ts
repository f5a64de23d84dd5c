/** A progress line on standard error for large transfers; nothing when stderr is not a terminal. */
export interface Progress {
  /** Adds `bytes` to what has been transferred. */
  advance(bytes: number): void;
  /** Ends the line. */
  done(): void;
}

/** Transfers below this size show no progress: they are over before anyone would look. */
export const PROGRESS_THRESHOLD = 4 * 1024 * 1024;

const silent: Progress = { advance: () => undefined, done: () => undefined };

/**
 * A progress reporter for a transfer of `total` bytes, drawn on standard error at most ten
 * times a second when it is a terminal and the transfer is larger than a few megabytes.
 */
export function startProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total < PROGRESS_THRESHOLD) return silent;
  let done = 0;
  let last = 0;
  const draw = (): void => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    stream.write(
      `\r${label} ${String(percent).padStart(3)}% ${(done / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB`,
    );
  };
  return {
    advance(bytes) {
      done += bytes;
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        draw();
      }
    },
    done() {
      draw();
      stream.write('\n');
    },
  };
}
