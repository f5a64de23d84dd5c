/** Strict UTF-8 decoding: invalid input is reported, never replaced with U+FFFD. */

// ignoreBOM keeps a leading U+FEFF in the value: metadata is shown exactly as stored.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Short ASCII strings (most names) are cheaper to build directly than to decode. */
const SHORT_ASCII = 16;

/** Decodes `bytes` as UTF-8, or returns `undefined` if they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  return decodeUtf8Range(bytes, 0, bytes.length);
}

/**
 * Decodes `bytes[start..end]` as UTF-8, or returns `undefined` if they are not valid UTF-8.
 * Short ASCII ranges are decoded without creating a view.
 */
export function decodeUtf8Range(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start <= SHORT_ASCII) {
    const ascii = asciiString(bytes, start, end);
    if (ascii !== undefined) return ascii;
  }
  try {
    return decoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** `bytes[start..end]` as a string if they are all ASCII, else `undefined`. */
function asciiString(bytes: Uint8Array, start: number, end: number): string | undefined {
  let text = '';
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) return undefined;
    text += String.fromCharCode(byte);
  }
  return text;
}

/** Encodes a string as UTF-8. */
export function encodeUtf8(text: string): Uint8Array {
  // Most metadata is short ASCII, which a loop encodes several times faster than TextEncoder.
  if (text.length <= SHORT_ASCII * 4) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) return encoder.encode(text);
      out[i] = unit;
    }
    return out;
  }
  return encoder.encode(text);
}
