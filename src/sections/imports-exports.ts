import { ByteReader } from '../binary/byte-reader.js';
import type {
  ComponentExport,
  ComponentExternKind,
  ComponentImport,
  ModuleExport,
  ModuleExternKind,
  ModuleImport,
} from '../metadata.js';

/**
 * Decoders for the import and export sections, which give a binary's interface:
 * `wasi:http/incoming-handler@0.2.0` for a component, `env.memory` for a module. Only names
 * and kinds are kept; type descriptors are skipped structurally. Errors are thrown as
 * `WasmMetaError`s with the offset of the offending byte.
 */

/** Component section ids of the import and export sections. */
export const COMPONENT_IMPORT_SECTION_ID = 10;
export const COMPONENT_EXPORT_SECTION_ID = 11;
/** Core module section ids of the import and export sections. */
export const MODULE_IMPORT_SECTION_ID = 2;
export const MODULE_EXPORT_SECTION_ID = 7;

/** Decodes a component import section, appending to `into`. `offset` is the file offset of `data[0]`. */
export function decodeComponentImports(data: Uint8Array, offset: number, into: ComponentImport[]): void {
  const reader = new ByteReader(data, offset);
  const count = reader.varU32();
  for (let i = 0; i < count; i++) {
    const name = readExternName(reader);
    const kind = readExternDesc(reader);
    into.push({ name, kind });
  }
  expectEnd(reader);
}

/** Decodes a component export section, appending to `into`. */
export function decodeComponentExports(data: Uint8Array, offset: number, into: ComponentExport[]): void {
  const reader = new ByteReader(data, offset);
  const count = reader.varU32();
  for (let i = 0; i < count; i++) {
    const name = readExternName(reader);
    const kind = readSort(reader);
    reader.varU32(); // index
    const hasType = reader.u8();
    if (hasType === 0x01) readExternDesc(reader);
    else if (hasType !== 0x00)
      reader.fail('invalid-metadata', `invalid export type marker 0x${hex(hasType)}`, reader.offset - 1);
    into.push({ name, kind });
  }
  expectEnd(reader);
}

/** Decodes a core module import section, appending to `into`. */
export function decodeModuleImports(data: Uint8Array, offset: number, into: ModuleImport[]): void {
  const reader = new ByteReader(data, offset);
  const count = reader.varU32();
  for (let i = 0; i < count; i++) {
    const module = reader.string();
    const name = reader.string();
    const marker = name === '' && !reader.done ? reader.bytes[reader.pos] : undefined;
    if (marker === 0x7f) {
      // Compact imports, form 1: one module name, many (name, type) items.
      reader.pos++;
      const items = reader.varU32();
      for (let j = 0; j < items; j++) {
        const itemName = reader.string();
        into.push({ module, name: itemName, kind: readCoreTypeRef(reader) });
      }
    } else if (marker === 0x7e) {
      // Compact imports, form 2: one module name and type, many names.
      reader.pos++;
      const kind = readCoreTypeRef(reader);
      const items = reader.varU32();
      for (let j = 0; j < items; j++) into.push({ module, name: reader.string(), kind });
    } else {
      into.push({ module, name, kind: readCoreTypeRef(reader) });
    }
  }
  expectEnd(reader);
}

/** Decodes a core module export section, appending to `into`. */
export function decodeModuleExports(data: Uint8Array, offset: number, into: ModuleExport[]): void {
  const reader = new ByteReader(data, offset);
  const count = reader.varU32();
  for (let i = 0; i < count; i++) {
    const name = reader.string();
    const kind = coreKind(reader, reader.u8());
    reader.varU32(); // index
    into.push({ name, kind });
  }
  expectEnd(reader);
}

function expectEnd(reader: ByteReader): void {
  if (!reader.done) reader.fail('invalid-metadata', `${reader.remaining} unexpected bytes at the end of the section`);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** `importname'` / `exportname'`: a 0x00 or 0x01 prefix and a string, or 0x02, a string and options. */
export function readExternName(reader: ByteReader): string {
  const prefix = reader.u8();
  if (prefix === 0x00 || prefix === 0x01) return reader.string();
  if (prefix === 0x02) {
    const name = reader.string();
    const options = reader.varU32();
    for (let i = 0; i < options; i++) {
      reader.u8(); // option kind: implements, version suffix
      reader.string();
    }
    return name;
  }
  return reader.fail('invalid-metadata', `invalid name prefix 0x${hex(prefix)}`, reader.offset - 1);
}

const componentSorts: Record<number, ComponentExternKind> = {
  0x01: 'func',
  0x02: 'value',
  0x03: 'type',
  0x04: 'component',
  0x05: 'instance',
};

/** A component `sort`: `0x00 0x11` is a core module; 0x01 to 0x05 are component sorts. */
function readSort(reader: ByteReader): ComponentExternKind {
  const at = reader.offset;
  const sort = reader.u8();
  if (sort === 0x00) {
    const core = reader.u8();
    if (core === 0x11) return 'module';
    return reader.fail(
      'invalid-metadata',
      `core sort 0x${hex(core)} cannot be imported or exported by a component`,
      at,
    );
  }
  return componentSorts[sort] ?? reader.fail('invalid-metadata', `invalid sort 0x${hex(sort)}`, at);
}

/** `externdesc`: a sort followed by its type reference, which is skipped. */
function readExternDesc(reader: ByteReader): ComponentExternKind {
  const at = reader.offset;
  const kind = readSort(reader);
  switch (kind) {
    case 'module':
    case 'func':
    case 'component':
    case 'instance':
      reader.varU32();
      break;
    case 'value': {
      // valuebound: 0x00 eq index, or 0x01 and a value type (an s33)
      const bound = reader.u8();
      if (bound === 0x00) reader.varU32();
      else if (bound === 0x01) reader.varS33();
      else reader.fail('invalid-metadata', `invalid value bound 0x${hex(bound)}`, at);
      break;
    }
    case 'type': {
      // typebound: 0x00 eq index, or 0x01 sub resource
      const bound = reader.u8();
      if (bound === 0x00) reader.varU32();
      else if (bound !== 0x01) reader.fail('invalid-metadata', `invalid type bound 0x${hex(bound)}`, at);
      break;
    }
  }
  return kind;
}

/** A core `externtype` kind byte. 0x20 is an exact function import (custom descriptors). */
function coreKind(reader: ByteReader, byte: number): ModuleExternKind {
  switch (byte) {
    case 0x00:
    case 0x20:
      return 'func';
    case 0x01:
      return 'table';
    case 0x02:
      return 'memory';
    case 0x03:
      return 'global';
    case 0x04:
      return 'tag';
    default:
      return reader.fail('invalid-metadata', `invalid external kind 0x${hex(byte)}`, reader.offset - 1);
  }
}

/** A core import's type: the kind byte and its descriptor, which is skipped. */
function readCoreTypeRef(reader: ByteReader): ModuleExternKind {
  const kind = coreKind(reader, reader.u8());
  switch (kind) {
    case 'func':
      reader.varU32();
      break;
    case 'table':
      readValueType(reader);
      readLimits(reader);
      break;
    case 'memory':
      readLimits(reader);
      break;
    case 'global':
      readValueType(reader);
      reader.u8(); // mutability (and shared) flags
      break;
    case 'tag':
      reader.u8(); // attribute
      reader.varU32();
      break;
  }
  return kind;
}

/** Limits: flags (bit 0 max, bit 1 shared, bit 2 64-bit, bit 3 custom page size), min, max?. */
function readLimits(reader: ByteReader): void {
  const at = reader.offset;
  const flags = reader.u8();
  if (flags > 0x0f) reader.fail('invalid-metadata', `invalid limits flags 0x${hex(flags)}`, at);
  const wide = (flags & 0x04) !== 0;
  const readBound = (): void => (wide ? reader.skipVarU64() : void reader.varU32());
  readBound();
  if (flags & 0x01) readBound();
  if (flags & 0x08) reader.varU32(); // log2 of the page size
}

/**
 * A value or reference type: one byte (a number type or a reference-type abbreviation), or
 * `0x63`/`0x64` followed by a heap type, which may carry a `shared` or `exact` prefix.
 */
function readValueType(reader: ByteReader): void {
  const byte = reader.u8();
  if (byte !== 0x63 && byte !== 0x64) return;
  const next = reader.done ? undefined : reader.bytes[reader.pos];
  if (next === 0x65) {
    reader.pos++; // shared
    reader.u8();
  } else if (next === 0x62) {
    reader.pos++; // exact
    reader.varU32();
  } else {
    reader.varS33();
  }
}
