import { Inflate } from 'fflate/browser';

/**
 * The browser implementation of `#inflate` (fflate); Node uses `inflate-node.ts` (node:zlib),
 * which costs nothing at startup. Both are tested with the same cases.
 *
 * Inflates a zlib stream (RFC 1950) whose output may not exceed `maxBytes`. The input is fed
 * in small chunks and inflation stops as soon as the output passes the cap, so a zip bomb
 * costs at most about `maxBytes` plus one chunk's worth of memory. The Adler-32 checksum in
 * the last four bytes is verified. Throws an `Error` with a readable message on bad input.
 */
export function inflateZlib(data: Uint8Array, maxBytes: number): Uint8Array {
  if (data.length < 7) throw new Error('zlib stream is truncated');
  const cmf = data[0] as number;
  const flg = data[1] as number;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) {
    throw new Error('invalid zlib header');
  }
  if (flg & 0x20) throw new Error('zlib stream needs a preset dictionary');

  const chunks: Uint8Array[] = [];
  let total = 0;
  let overLimit = false;
  const inflate = new Inflate((chunk) => {
    total += chunk.length;
    if (total > maxBytes) overLimit = true;
    else chunks.push(chunk);
  });
  const deflated = data.subarray(2, data.length - 4);
  // A deflate stream expands at most about 1032:1, so 1 KiB in gives at most ~1 MiB out.
  const step = 1024;
  try {
    for (let at = 0; at < deflated.length && !overLimit; at += step) {
      inflate.push(deflated.subarray(at, at + step), at + step >= deflated.length);
    }
  } catch (error) {
    throw new Error(`corrupt zlib stream: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (overLimit) throw new Error(`decompressed data exceeds the byte limit of ${maxBytes}`);

  const output = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    output.set(chunk, offset);
    offset += chunk.length;
  }
  const tail = data.length - 4;
  const expected =
    (((data[tail] as number) << 24) |
      ((data[tail + 1] as number) << 16) |
      ((data[tail + 2] as number) << 8) |
      (data[tail + 3] as number)) >>>
    0;
  if (adler32(output) !== expected) throw new Error('zlib checksum mismatch');
  return output;
}

/** The Adler-32 checksum of `bytes`. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 is the most bytes that can be summed before b may overflow 2^32.
  for (let start = 0; start < bytes.length; start += 5552) {
    const end = Math.min(start + 5552, bytes.length);
    for (let i = start; i < end; i++) {
      a += bytes[i] as number;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
