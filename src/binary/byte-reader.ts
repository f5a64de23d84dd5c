import { WasmMetaError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { decodeUtf8Range } from './utf8.js';

/**
 * A bounds-checked cursor over a view of a WebAssembly binary.
 *
 * Offsets in errors are absolute file offsets: `base` is the file offset of `bytes[0]`. Every
 * read checks the bounds first and throws a {@link WasmMetaError}, so a reader can never run
 * past its view or return a partial value. Byte ranges are returned as subarray views, not copies.
 */
export class ByteReader {
  /** Index into `bytes` of the next byte to read. */
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    /** File offset of `bytes[0]`. */
    readonly base = 0,
    start = 0,
    /** Index into `bytes` where this reader's view ends (exclusive). */
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  /** Absolute file offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes left in the view. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** True when every byte of the view has been read. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Throws a `WasmMetaError` of the given kind at the current offset (or `at`). */
  fail(code: WasmMetaError['code'], reason: string, at = this.offset): never {
    throw new WasmMetaError(code, reason, at);
  }

  /** Reads one byte. */
  u8(): number {
    if (this.pos >= this.end) this.fail('truncated', 'unexpected end of data');
    return this.bytes[this.pos++] as number;
  }

  /**
   * Reads an unsigned LEB128 of at most 5 bytes whose value fits in 32 bits. Padded encodings
   * (more bytes than needed) are accepted, as the WebAssembly spec requires.
   */
  varU32(): number {
    const start = this.pos;
    const first = this.u8();
    if (first < 0x80) return first;
    let result = first & 0x7f;
    let multiplier = 0x80;
    for (let i = 1; i < 5; i++) {
      if (this.pos >= this.end)
        this.fail('truncated', 'unexpected end of data inside a LEB128 integer', this.base + start);
      const byte = this.bytes[this.pos++] as number;
      if (i === 4) {
        if (byte & 0x80) this.fail('bad-leb', 'LEB128 integer is longer than 5 bytes', this.base + start);
        if (byte > 0x0f) this.fail('bad-leb', 'LEB128 integer is larger than 2^32 - 1', this.base + start);
      }
      result += (byte & 0x7f) * multiplier;
      if (!(byte & 0x80)) return result;
      multiplier *= 0x80;
    }
    return this.fail('bad-leb', 'LEB128 integer is longer than 5 bytes', this.base + start);
  }

  /** Reads a signed 33-bit LEB128 (used for block and value types) and returns its value. */
  varS33(): number {
    const start = this.pos;
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end)
        this.fail('truncated', 'unexpected end of data inside a LEB128 integer', this.base + start);
      const byte = this.bytes[this.pos++] as number;
      result += (byte & 0x7f) * multiplier;
      multiplier *= 0x80;
      if (!(byte & 0x80)) {
        // Sign-extend from the last byte's bit 6.
        return byte & 0x40 ? result - multiplier : result;
      }
    }
    return this.fail('bad-leb', 'signed LEB128 integer is longer than 5 bytes', this.base + start);
  }

  /** Skips an unsigned LEB128 of at most 10 bytes (a u64). */
  skipVarU64(): void {
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (!(this.u8() & 0x80)) return;
    }
    this.fail('bad-leb', 'LEB128 integer is longer than 10 bytes', this.base + start);
  }

  /** Returns a view of the next `length` bytes. */
  bytesView(length: number): Uint8Array {
    if (length > this.end - this.pos) this.fail('truncated', `${length} bytes needed, ${this.end - this.pos} left`);
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  /** Reads a `str`: a LEB128 length and that many bytes of strict UTF-8, at most `maxBytes`. */
  string(maxBytes: number = LIMITS.maxNameBytes): string {
    const at = this.offset;
    const length = this.varU32();
    if (length > maxBytes)
      this.fail('too-long', `string of ${length} bytes is longer than the limit of ${maxBytes}`, at);
    if (length > this.end - this.pos) this.fail('truncated', `${length} bytes needed, ${this.end - this.pos} left`);
    const text = decodeUtf8Range(this.bytes, this.pos, this.pos + length);
    this.pos += length;
    if (text === undefined) this.fail('bad-utf8', 'string is not valid UTF-8', at);
    return text;
  }
}
