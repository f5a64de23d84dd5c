import { ByteReader } from '../binary/byte-reader.js';
import { HEADER_LENGTH, readHeader } from '../binary/header.js';
import type { WasmBinary } from '../metadata.js';
import { readExternName } from './imports-exports.js';

/**
 * The exports of a binary WIT package as oci-wasm (and so wkg) writes them in the Wasm OCI
 * config: qualified names (`wasi:http/types@0.2.0`), where the package's own export section
 * holds bare ones (`types`).
 *
 * A WIT package in wit-component's (v2) encoding is a component that imports nothing and
 * exports only component types: for an interface, a component type whose one export is the
 * qualified interface (`(export "ns:pkg/types@1.0.0" (instance …))`); for a world, one whose
 * export is the qualified world (`(export "ns:pkg/run@1.0.0" (component …))`), the world's own
 * imports and exports inside. oci-wasm's `Component::from_package` lists each world's exports,
 * each world's qualified name and each interface's qualified name, once each, and no imports.
 */

/** Whether a binary's outer imports and exports have the shape of a WIT package: no imports, only type exports. */
export function mayBeWitPackage(binary: WasmBinary): boolean {
  return (
    binary.kind === 'component' &&
    binary.imports.length === 0 &&
    binary.exports.length > 0 &&
    binary.exports.every((e) => e.kind === 'type')
  );
}

/**
 * The exports of a binary WIT package as oci-wasm writes them, or `undefined` if it is not one.
 *
 * In a fixed order: each outer export in binary order, an interface's qualified name, or a
 * world's exports, then its qualified name. `undefined` for a component, the old v1 encoding,
 * or a type this decoder cannot skip; it never throws, and the caller keeps the bare names.
 */
export function witPackageExports(bytes: Uint8Array): string[] | undefined {
  try {
    return decodePackage(bytes);
  } catch {
    return undefined;
  }
}

/** What a type index of the outer component, or of a component type, refers to. */
type TypeEntry = ComponentTypeEntry | { kind: 'other' };

/** A component or instance type: its top-level exports, and the types declared inside it. */
interface ComponentTypeEntry {
  kind: 'component';
  exports: Export[];
  nested: TypeEntry[];
}

/** A top-level export declaration of a component type: its name, sort and type index. */
interface Export {
  name: string;
  sort: number;
  index: number;
}

const SORT_TYPE = 0x03;
const SORT_COMPONENT = 0x04;
const SORT_INSTANCE = 0x05;

function decodePackage(bytes: Uint8Array): string[] | undefined {
  if (readHeader(bytes, 0) !== 'component') return undefined;
  const reader = new ByteReader(bytes, 0, HEADER_LENGTH);
  const types: TypeEntry[] = [];
  const exported: ComponentTypeEntry[] = [];
  while (!reader.done) {
    const id = reader.u8();
    const size = reader.varU32();
    const end = reader.pos + size;
    if (end > reader.end) return undefined;
    const section = new ByteReader(bytes, 0, reader.pos, end);
    reader.pos = end;
    if (id === 0) continue; // custom
    if (id === 7) {
      const count = section.varU32();
      for (let i = 0; i < count; i++) types.push(readType(section));
    } else if (id === 11) {
      const count = section.varU32();
      for (let i = 0; i < count; i++) {
        readExternName(section);
        const sort = section.u8();
        const index = section.varU32();
        const typed = section.u8();
        if (sort !== SORT_TYPE || typed !== 0x00) return undefined;
        const entry = types[index];
        if (entry?.kind !== 'component') return undefined;
        exported.push(entry);
        types.push(entry); // exporting a type adds it to the type index space
      }
    } else {
      return undefined; // a WIT package holds only types, exports and custom sections
    }
  }
  if (exported.length === 0) return undefined;
  const names = new Set<string>();
  for (const entry of exported) {
    if (entry.exports.length !== 1) return undefined;
    const item = entry.exports[0] as Export;
    if (!/^[a-z][a-z0-9-]*:[a-z][a-z0-9-:]*\/[a-z]/.test(item.name)) return undefined; // not ns:pkg/name
    if (item.sort === SORT_INSTANCE) {
      names.add(item.name);
    } else if (item.sort === SORT_COMPONENT) {
      const world = entry.nested[item.index];
      if (world?.kind !== 'component') return undefined;
      for (const worldExport of world.exports) names.add(worldExport.name);
      names.add(item.name);
    } else {
      return undefined;
    }
  }
  return [...names];
}

/** A `type` (deftype): a component type is kept with its exports; anything else is skipped. */
function readType(reader: ByteReader): TypeEntry {
  const form = reader.u8();
  switch (form) {
    case 0x41:
      return readDeclarations(reader, true);
    case 0x42:
      readDeclarations(reader, false);
      return { kind: 'other' };
    case 0x40:
    case 0x43: // func, async func
      readLabelledTypes(reader);
      readResults(reader);
      return { kind: 'other' };
    case 0x3f: // resource (rep i32, optional destructor)
      reader.u8();
      optional(reader, () => reader.varU32());
      return { kind: 'other' };
    case 0x3e: // async resource
      reader.u8();
      reader.varU32();
      optional(reader, () => reader.varU32());
      return { kind: 'other' };
    default:
      skipDefinedValueType(reader, form);
      return { kind: 'other' };
  }
}

/**
 * The declarations of a component type (`0x41`) or an instance type (`0x42`): the top-level
 * export declarations are kept, and the types declared inside, which they refer to by index.
 */
function readDeclarations(reader: ByteReader, component: boolean): ComponentTypeEntry {
  const exports: Export[] = [];
  const nested: TypeEntry[] = [];
  const count = reader.varU32();
  for (let i = 0; i < count; i++) {
    const tag = reader.u8();
    if (tag === 0x01) {
      nested.push(readType(reader));
    } else if (tag === 0x02) {
      const sort = readAliasSort(reader);
      const target = reader.u8();
      if (target === 0x00 || target === 0x01) {
        reader.varU32();
        reader.string();
      } else if (target === 0x02) {
        reader.varU32();
        reader.varU32();
      } else {
        throw new Error('alias target');
      }
      if (sort === SORT_TYPE) nested.push({ kind: 'other' });
    } else if (tag === 0x03 || tag === 0x04) {
      if (tag === 0x03 && !component) throw new Error('import in an instance type');
      const name = readExternName(reader);
      const { sort, index } = readExternDescription(reader);
      if (sort === SORT_TYPE) nested.push({ kind: 'other' });
      if (tag === 0x04) exports.push({ name, sort, index });
    } else {
      throw new Error('core type or unknown declaration'); // not in a WIT package
    }
  }
  return { kind: 'component', exports, nested };
}

/** An alias's sort: `0x00` and a core sort, or a component sort. */
function readAliasSort(reader: ByteReader): number {
  const sort = reader.u8();
  if (sort === 0x00) reader.u8();
  return sort;
}

/** `externdesc`: the sort and the type index it refers to (0 for a bound that has none). */
function readExternDescription(reader: ByteReader): { sort: number; index: number } {
  const sort = reader.u8();
  if (sort === 0x00) {
    reader.u8(); // core module
    return { sort, index: reader.varU32() };
  }
  if (sort === 0x02 || sort === SORT_TYPE) {
    const bound = reader.u8();
    if (bound === 0x00) return { sort, index: reader.varU32() };
    if (sort === 0x02 && bound === 0x01) reader.varS33();
    return { sort, index: 0 };
  }
  return { sort, index: reader.varU32() };
}

/** A `defvaltype` whose first byte is `form`: a primitive, or a compound that is skipped. */
function skipDefinedValueType(reader: ByteReader, form: number): void {
  if (form >= 0x73 || form === 0x64) return; // a primitive value type: bool … string, error-context
  switch (form) {
    case 0x72: // record
      readLabelledTypes(reader);
      return;
    case 0x71: {
      // variant: label, optional type, 0x00 (formerly a refines index)
      const cases = reader.varU32();
      for (let i = 0; i < cases; i++) {
        reader.string();
        optional(reader, () => reader.varS33());
        optional(reader, () => reader.varU32());
      }
      return;
    }
    case 0x70: // list
    case 0x6b: // option
      reader.varS33();
      return;
    case 0x67: // fixed-size list
      reader.varS33();
      reader.varU32();
      return;
    case 0x6f: {
      // tuple
      const count = reader.varU32();
      for (let i = 0; i < count; i++) reader.varS33();
      return;
    }
    case 0x6e: // flags
    case 0x6d: {
      // enum
      const count = reader.varU32();
      for (let i = 0; i < count; i++) reader.string();
      return;
    }
    case 0x6a: // result
      optional(reader, () => reader.varS33());
      optional(reader, () => reader.varS33());
      return;
    case 0x69: // own
    case 0x68: // borrow
      reader.varU32();
      return;
    case 0x66: // stream
    case 0x65: // future
      optional(reader, () => reader.varS33());
      return;
    default:
      throw new Error('unknown type');
  }
}

/** `vec(labelvaltype)`: names and value types (record fields, parameters). */
function readLabelledTypes(reader: ByteReader): void {
  const count = reader.varU32();
  for (let i = 0; i < count; i++) {
    reader.string();
    reader.varS33();
  }
}

/** A function's results: `0x00` and one type, or `0x01` and a (nowadays empty) list of named ones. */
function readResults(reader: ByteReader): void {
  const form = reader.u8();
  if (form === 0x00) reader.varS33();
  else if (form === 0x01) readLabelledTypes(reader);
  else throw new Error('results');
}

/** `0x00` for absent, or `0x01` and the value `read` reads. */
function optional(reader: ByteReader, read: () => void): void {
  const present = reader.u8();
  if (present === 0x01) read();
  else if (present !== 0x00) throw new Error('optional');
}
