import { joinChunks } from './chunks.js';
import { encodeUtf8 } from './utf8.js';

/**
 * The one writer of WebAssembly bytes: bytes, minimal LEB128 integers and strings, with
 * length prefixes written by `fork()` / `join()` (as protobuf-es's `BinaryWriter` does), and
 * zero-copy views (`view()`) for bytes that already exist, such as the unchanged parts of an
 * edited file. The output is a list of chunks: small writes share one growing buffer, views
 * stay views, and adjacent views of the same memory merge into one.
 */
export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private buffer: Uint8Array;
  /** Bytes of `buffer` in use; those from `flushed` on are not in `chunks` yet. */
  private used = 0;
  private flushed = 0;
  /** Bytes in `chunks`. */
  private chunked = 0;
  /** The enclosing writes saved by `fork()`. */
  private readonly stack: Array<{ chunks: Uint8Array[]; chunked: number }> = [];

  constructor(capacity = 256) {
    this.buffer = new Uint8Array(capacity);
  }

  /** Bytes written since the writer was made (or since the innermost `fork()`). */
  get length(): number {
    return this.chunked + this.used - this.flushed;
  }

  /** Appends one byte. */
  u8(byte: number): this {
    this.reserve(1);
    this.buffer[this.used++] = byte;
    return this;
  }

  /** Appends `value` (0 to 2^32 - 1) as a minimal unsigned LEB128. */
  varU32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`not a u32: ${value}`);
    this.reserve(5);
    while (value >= 0x80) {
      this.buffer[this.used++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buffer[this.used++] = value;
    return this;
  }

  /** Appends a `str`: the LEB128 length of the UTF-8 bytes, then the bytes. */
  string(text: string): this {
    if (!isAscii(text)) {
      const bytes = encodeUtf8(text);
      return this.varU32(bytes.length).bytes(bytes);
    }
    this.varU32(text.length).reserve(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.used++] = text.charCodeAt(i);
    return this;
  }

  /** Appends the UTF-8 bytes of `text`, with no length prefix. */
  utf8(text: string): this {
    return this.bytes(encodeUtf8(text));
  }

  /** Appends a copy of `data`. */
  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.used);
    this.used += data.length;
    return this;
  }

  /**
   * Appends `data` without copying it: it must not change until the output is used. A view
   * that continues the previous one in the same memory extends it.
   */
  view(data: Uint8Array): this {
    if (data.length === 0) return this;
    this.flush();
    const last = this.chunks[this.chunks.length - 1];
    if (last !== undefined && last.buffer === data.buffer && last.byteOffset + last.byteLength === data.byteOffset) {
      this.chunks[this.chunks.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.byteLength + data.length);
    } else {
      this.chunks.push(data);
    }
    this.chunked += data.length;
    return this;
  }

  /** Starts a part whose length `join()` will write in front of it. */
  fork(): this {
    this.flush();
    this.stack.push({ chunks: this.chunks, chunked: this.chunked });
    this.chunks = [];
    this.chunked = 0;
    return this;
  }

  /** Ends the part started by the matching `fork()`, preceded by its length as a LEB128. */
  join(): this {
    const saved = this.stack.pop();
    if (saved === undefined) throw new RangeError('join() without fork()');
    this.flush();
    const part = this.chunks;
    const length = this.chunked;
    this.chunks = saved.chunks;
    this.chunked = saved.chunked;
    this.varU32(length);
    for (const chunk of part) {
      // Short parts are copied: one buffer costs less than many small views.
      if (chunk.length <= 64 || chunk.buffer === this.buffer.buffer) this.bytes(chunk);
      else this.view(chunk);
    }
    return this;
  }

  /** The output as chunks, in order (write nothing more afterwards). */
  finishChunks(): Uint8Array[] {
    if (this.stack.length > 0) throw new RangeError('fork() without join()');
    this.flush();
    return this.chunks;
  }

  /** The output as one array (write nothing more afterwards). */
  finish(): Uint8Array {
    if (this.chunks.length === 0 && this.stack.length === 0) {
      // A short copy costs less than a view: V8 creates subarrays on a slow path.
      return this.flushed === 0 && this.used === this.buffer.length
        ? this.buffer
        : this.buffer.slice(this.flushed, this.used);
    }
    const chunks = this.finishChunks();
    return chunks.length === 1 ? (chunks[0] as Uint8Array) : joinChunks(chunks);
  }

  /** Moves the buffered bytes into `chunks`. */
  private flush(): void {
    if (this.used === this.flushed) return;
    this.chunks.push(this.buffer.subarray(this.flushed, this.used));
    this.chunked += this.used - this.flushed;
    this.flushed = this.used;
  }

  private reserve(extra: number): this {
    if (this.used + extra > this.buffer.length) {
      // Flushed bytes stay where they are (chunks may view them); only the rest moves.
      const pending = this.buffer.subarray(this.flushed, this.used);
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, pending.length + extra));
      grown.set(pending);
      this.buffer = grown;
      this.used = pending.length;
      this.flushed = 0;
    }
    return this;
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}
