/** Unsigned LEB128 encoding, as used for sizes, counts and indexes in WebAssembly. */

/** Number of bytes `encodeVarU32` uses for `value`. */
export function varU32Length(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    length++;
  }
  return length;
}

/** Encodes `value` (0 to 2^32 - 1) as a minimal unsigned LEB128. */
export function encodeVarU32(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`not a u32: ${value}`);
  }
  const out = new Uint8Array(varU32Length(value));
  for (let i = 0; i < out.length; i++) {
    const low = value % 128;
    value = Math.floor(value / 128);
    out[i] = i === out.length - 1 ? low : low | 0x80;
  }
  return out;
}
