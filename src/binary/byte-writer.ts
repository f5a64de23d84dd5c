import { encodeUtf8 } from './utf8.js';

/**
 * Appends bytes, minimal LEB128 integers and strings to one growing buffer, so that encoding
 * a section takes one allocation rather than one per field.
 */
export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(capacity = 256) {
    this.buffer = new Uint8Array(capacity);
  }

  /** Appends one byte. */
  u8(byte: number): this {
    this.reserve(1);
    this.buffer[this.length++] = byte;
    return this;
  }

  /** Appends `value` (0 to 2^32 - 1) as a minimal unsigned LEB128. */
  varU32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`not a u32: ${value}`);
    this.reserve(5);
    while (value >= 0x80) {
      this.buffer[this.length++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buffer[this.length++] = value;
    return this;
  }

  /** Appends a `str`: the LEB128 length of the UTF-8 bytes, then the bytes. */
  string(text: string): this {
    if (!isAscii(text)) {
      const bytes = encodeUtf8(text);
      return this.varU32(bytes.length).bytes(bytes);
    }
    this.varU32(text.length).reserve(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.length++] = text.charCodeAt(i);
    return this;
  }

  /** Appends raw bytes. */
  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** The bytes written so far (write nothing more afterwards). */
  finish(): Uint8Array {
    // A short copy costs less than a view: V8 creates subarrays on a slow path.
    return this.length === this.buffer.length ? this.buffer : this.buffer.slice(0, this.length);
  }

  private reserve(extra: number): this {
    if (this.length + extra > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
      grown.set(this.buffer); // whole: cheaper than a view of the used part
      this.buffer = grown;
    }
    return this;
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}
