/**
 * Absolute-URL validation for `source`, `homepage` and `documentation`. Values are parsed as
 * WHATWG URLs, as wasm-tools' `url` crate does, and reported in serialized form
 * (`https://Example.com` reads as `https://example.com/`).
 */

/** The serialized form of `value` if it is an absolute URL, else `undefined`. */
export function serializeAbsoluteUrl(value: string): string | undefined {
  try {
    return new URL(value).href;
  } catch {
    return undefined;
  }
}
