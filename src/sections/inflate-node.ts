import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';

// node:zlib is loaded on the first `.dep-v0` section, not when the reader starts.
const require = createRequire(import.meta.url);

/**
 * The Node implementation of `#inflate`: zlib's own inflater with `maxOutputLength`, which stops
 * as soon as the output passes the cap. Same contract as the browser implementation: at most
 * `maxBytes` of output, the Adler-32 checksum verified, an `Error` with a readable message.
 */
export function inflateZlib(data: Uint8Array, maxBytes: number): Uint8Array {
  if (data.length < 7) throw new Error('zlib stream is truncated');
  const cmf = data[0] as number;
  const flg = data[1] as number;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) throw new Error('invalid zlib header');
  if (flg & 0x20) throw new Error('zlib stream needs a preset dictionary');
  const zlib = require('node:zlib') as typeof Zlib;
  let output: Uint8Array;
  try {
    output = zlib.inflateSync(data, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`decompressed data exceeds the byte limit of ${maxBytes}`);
    if (code === 'Z_DATA_ERROR' && /incorrect data check/.test((error as Error).message))
      throw new Error('zlib checksum mismatch');
    throw new Error(`corrupt zlib stream: ${(error as Error).message}`);
  }
  return output;
}
