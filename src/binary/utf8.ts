/** Strict UTF-8 decoding: invalid input is reported, never replaced with U+FFFD. */

// ignoreBOM keeps a leading U+FEFF in the value: metadata is shown exactly as stored.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Decodes `bytes` as UTF-8, or returns `undefined` if they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  // Short ASCII strings (most section names) are cheaper to build directly.
  if (bytes.length <= 32) {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
      if ((bytes[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode(...bytes);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Encodes a string as UTF-8. */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
