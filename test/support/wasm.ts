/**
 * Builders for WebAssembly binaries in tests. They are written independently of the code
 * under test (their own LEB128 and UTF-8 encoding), so that a bug in wasm-meta's encoder
 * cannot hide a bug in its reader.
 */

/** Unsigned LEB128 of `value`, padded to `width` bytes if given. */
export function leb(value: number, width?: number): number[] {
  const groups: number[] = [];
  do {
    groups.push(value % 128);
    value = Math.floor(value / 128);
  } while (value > 0);
  while (width !== undefined && groups.length < width) groups.push(0);
  return groups.map((group, i) => (i < groups.length - 1 ? group | 0x80 : group));
}

/** UTF-8 bytes of `text`. */
export function utf8(text: string): number[] {
  return Array.from(Buffer.from(text, 'utf8'));
}

/** A `str`: LEB128 length and UTF-8 bytes. */
export function str(text: string): number[] {
  const bytes = utf8(text);
  return [...leb(bytes.length), ...bytes];
}

/** A section: id, LEB128 size (padded to `sizeWidth` bytes if given), body. */
export function section(id: number, body: ArrayLike<number>, sizeWidth?: number): number[] {
  return [id, ...leb(body.length, sizeWidth), ...Array.from(body)];
}

/** A custom section with a text or byte payload. */
export function custom(name: string, data: string | ArrayLike<number>, sizeWidth?: number): number[] {
  const payload = typeof data === 'string' ? utf8(data) : Array.from(data);
  return section(0, [...str(name), ...payload], sizeWidth);
}

export const MODULE_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
export const COMPONENT_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

/** A core module made of the given sections. */
export function module(...sections: number[][]): number[] {
  return [...MODULE_HEADER, ...sections.flat()];
}

/** A component made of the given sections. */
export function component(...sections: number[][]): number[] {
  return [...COMPONENT_HEADER, ...sections.flat()];
}

/** A component section (id 1 for a nested core module, id 4 for a nested component). */
export function nested(binary: number[]): number[] {
  const isComponent = binary[4] === 0x0d;
  return section(isComponent ? 4 : 1, binary);
}

/** Subsection 0 of a name section: the module or component name. */
export function nameSubsection(name: string): number[] {
  const body = str(name);
  return [0, ...leb(body.length), ...body];
}

/** A producers section payload from `[field, [[name, version], ...]]` pairs. */
export function producersData(fields: Array<[string, Array<[string, string]>]>): number[] {
  const out = leb(fields.length);
  for (const [field, values] of fields) {
    out.push(...str(field), ...leb(values.length));
    for (const [name, version] of values) out.push(...str(name), ...str(version));
  }
  return out;
}

/** `Uint8Array` of a byte list. */
export function bytes(list: number[]): Uint8Array {
  return Uint8Array.from(list);
}

/** A section of a binary, as {@link sectionsOf} finds it. */
export interface ListedSection {
  id: number;
  start: number;
  bodyStart: number;
  end: number;
  /** The name of a custom section. */
  name: string | undefined;
}

/**
 * The sections of the outermost binary of well-formed `bytes`, parsed here (not by the code
 * under test): nested binaries are single sections.
 */
export function sectionsOf(bytes: Uint8Array): ListedSection[] {
  const readLeb = (at: number): [number, number] => {
    let value = 0;
    let shift = 1;
    for (;;) {
      const byte = bytes[at++] as number;
      value += (byte & 0x7f) * shift;
      shift *= 128;
      if (byte < 0x80) return [value, at];
    }
  };
  const sections: ListedSection[] = [];
  for (let pos = 8; pos < bytes.length;) {
    const [size, bodyStart] = readLeb(pos + 1);
    const end = bodyStart + size;
    let name: string | undefined;
    if (bytes[pos] === 0) {
      const [length, nameStart] = readLeb(bodyStart);
      name = Buffer.from(bytes.subarray(nameStart, nameStart + length)).toString('utf8');
    }
    sections.push({ id: bytes[pos] as number, start: pos, bodyStart, end, name });
    pos = end;
  }
  return sections;
}
