// Byte-level helpers for building WebAssembly binaries in the benchmark and the fuzzer (kept apart
// from the library, so that they check it rather than repeat it), and a tolerant walk over the
// sections of a binary (nested ones included) that never throws, so that broken inputs can be mutated.
import { Buffer } from 'node:buffer';

export const MODULE_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
export const COMPONENT_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

/** Unsigned LEB128 of `value`, minimal unless `width` asks for padding. */
export function leb(value, width = 0) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0 || out.length + 1 < width) byte |= 0x80;
    out.push(byte);
  } while (value > 0 || out.length < width);
  return out;
}

export const utf8 = (text) => [...Buffer.from(text, 'utf8')];
export const str = (text) => [...leb(Buffer.byteLength(text)), ...utf8(text)];
export const section = (id, body) => [id, ...leb(body.length), ...body];
export const custom = (name, data) =>
  section(0, [...str(name), ...(typeof data === 'string' ? utf8(data) : Array.from(data))]);
export const module = (...sections) => [...MODULE_HEADER, ...sections.flat()];
export const component = (...sections) => [...COMPONENT_HEADER, ...sections.flat()];
export const nestedModule = (bytes) => section(1, bytes);
export const nestedComponent = (bytes) => section(4, bytes);

/** The producers section data for `fields`: [[field, [[name, version], …]], …]. */
export function producersData(fields) {
  return [
    ...leb(fields.length),
    ...fields.flatMap(([field, values]) => [
      ...str(field),
      ...leb(values.length),
      ...values.flatMap(([n, v]) => [...str(n), ...str(v)]),
    ]),
  ];
}

/** Reads a LEB128 at `pos`: its value and length, or `undefined` if it is not a plausible one. */
function readLeb(bytes, pos, end) {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 5 && pos + i < end; i++) {
    const byte = bytes[pos + i];
    value += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if (!(byte & 0x80)) return { value, length: i + 1 };
  }
  return undefined;
}

/**
 * Every section that can be found: `{ id, start, sizeStart, bodyStart, end, name?, parents }`,
 * where `parents` lists the enclosing nested-binary sections (outermost first). Stops quietly
 * where the framing breaks.
 */
export function walkSections(bytes) {
  const found = [];
  const visit = (start, end, parents, depth) => {
    if (depth > 120 || end - start < 8) return;
    const isComponent = bytes[start + 4] === 0x0d;
    for (let pos = start + 8; pos < end;) {
      const size = readLeb(bytes, pos + 1, end);
      if (size === undefined) return;
      const bodyStart = pos + 1 + size.length;
      const sectionEnd = bodyStart + size.value;
      if (sectionEnd > end) return;
      const entry = { id: bytes[pos], start: pos, sizeStart: pos + 1, bodyStart, end: sectionEnd, parents };
      if (entry.id === 0) {
        const nameLength = readLeb(bytes, bodyStart, sectionEnd);
        if (nameLength !== undefined) {
          const nameStart = bodyStart + nameLength.length;
          entry.nameStart = nameStart;
          entry.nameEnd = Math.min(sectionEnd, nameStart + nameLength.value);
          entry.name = Buffer.from(bytes.subarray(nameStart, entry.nameEnd)).toString('latin1');
        }
      }
      found.push(entry);
      if (isComponent && (entry.id === 1 || entry.id === 4))
        visit(bodyStart, sectionEnd, [...parents, entry], depth + 1);
      pos = sectionEnd;
    }
  };
  visit(0, bytes.length, [], 0);
  return found;
}

/** Concatenates byte arrays (typed arrays or small number arrays). */
export function concat(...parts) {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Replaces `bytes[from..to]` with `insert` and re-encodes the size of every enclosing section
 * in `parents` (minimally), so that the framing around the change stays valid.
 */
export function splice(bytes, from, to, insert, parents = []) {
  let out = concat(bytes.subarray(0, from), insert, bytes.subarray(to));
  let delta = insert.length - (to - from);
  // Innermost first: each re-encoded size may change the length of the next one out.
  for (const parent of [...parents].reverse()) {
    const oldLength = parent.bodyStart - parent.sizeStart;
    const encoded = leb(parent.end - parent.bodyStart + delta);
    out = concat(out.subarray(0, parent.sizeStart), encoded, out.subarray(parent.sizeStart + oldLength));
    delta += encoded.length - oldLength;
  }
  return out;
}
