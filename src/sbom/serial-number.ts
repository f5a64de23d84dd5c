/**
 * A UUID version 8 (RFC 9562 §5.8, the layout for names hashed with any algorithm) made of the
 * first 128 bits of a SHA-256 digest, with the version and variant bits set: the same digest
 * always gives the same UUID, which is what a reproducible document's serial number needs.
 * `digestHex` is 64 lowercase hex digits.
 */
export function uuidFromSha256(digestHex: string): string {
  const bytes = Array.from({ length: 16 }, (_, i) => Number.parseInt(digestHex.slice(2 * i, 2 * i + 2), 16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80; // version 8
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80; // variant 10
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
