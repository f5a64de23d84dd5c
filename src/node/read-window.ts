/**
 * The read-ahead policy for positional reads: a request inside the last window is answered
 * from it; otherwise a new window is read. Windows start small (4 KiB), so that jumping from
 * section header to section header in a large file reads only a few kilobytes, and double on
 * sequential access (many small sections in a row), up to 1 MiB.
 */
export class ReadWindow {
  static readonly minSize = 4 * 1024;
  static readonly maxSize = 1024 * 1024;

  private bytes: Uint8Array = new Uint8Array(0);
  private start = 0;
  private nextSize = ReadWindow.minSize;
  /** Total bytes read from the file so far. */
  bytesRead = 0;
  /** Number of reads from the file so far. */
  reads = 0;

  constructor(readonly fileSize: number) {}

  /** The bytes at `offset..offset+length` if the current window holds them. */
  lookup(offset: number, length: number): Uint8Array | undefined {
    const from = offset - this.start;
    if (from >= 0 && from + length <= this.bytes.length) return this.bytes.subarray(from, from + length);
    return undefined;
  }

  /** How many bytes to read at `offset` to answer a request of `length` bytes. */
  plan(offset: number, length: number): number {
    const end = this.start + this.bytes.length;
    const sequential = this.bytes.length > 0 && offset >= end && offset - end < this.nextSize;
    this.nextSize = sequential ? Math.min(this.nextSize * 2, ReadWindow.maxSize) : ReadWindow.minSize;
    return Math.min(Math.max(length, this.nextSize), this.fileSize - offset);
  }

  /** Makes `bytes`, read at `offset`, the current window and returns the first `length` of them. */
  store(offset: number, bytes: Uint8Array, length: number): Uint8Array {
    this.bytes = bytes;
    this.start = offset;
    this.bytesRead += bytes.length;
    this.reads++;
    return bytes.subarray(0, length);
  }
}
