import { WasmMetaError } from '../errors.js';

/** What a WebAssembly binary is: a core module or a component. */
export type BinaryKind = 'module' | 'component';

/** Length of the preamble: magic `\0asm`, then a 2-byte version and a 2-byte layer. */
export const HEADER_LENGTH = 8;

/** The preamble of a core module: version 1, layer 0. */
export const MODULE_HEADER: Readonly<Uint8Array> = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);

/** The preamble of a component: version 0x0d, layer 1. */
export const COMPONENT_HEADER: Readonly<Uint8Array> = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00);

/**
 * Reads the 8-byte preamble in `bytes` (which may be shorter if the input is) and tells which
 * kind of binary starts at file offset `offset`.
 */
export function readHeader(bytes: Uint8Array, offset: number): BinaryKind {
  if (bytes.length < 4 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    if (bytes.length < 4 && isPrefixOf(bytes, MODULE_HEADER)) {
      throw new WasmMetaError('truncated', 'input ends inside the WebAssembly preamble', offset);
    }
    throw new WasmMetaError('bad-header', 'not a WebAssembly binary: the magic number \\0asm is missing', offset);
  }
  if (bytes.length < HEADER_LENGTH) {
    throw new WasmMetaError('truncated', 'input ends inside the WebAssembly preamble', offset);
  }
  if (equalsAt(bytes, MODULE_HEADER)) return 'module';
  if (equalsAt(bytes, COMPONENT_HEADER)) return 'component';
  const version = hex(bytes, 4, 6);
  const layer = hex(bytes, 6, 8);
  throw new WasmMetaError('bad-header', `unknown binary version ${version} (layer ${layer})`, offset + 4);
}

function equalsAt(bytes: Uint8Array, header: Readonly<Uint8Array>): boolean {
  for (let i = 0; i < HEADER_LENGTH; i++) if (bytes[i] !== header[i]) return false;
  return true;
}

function isPrefixOf(bytes: Uint8Array, header: Readonly<Uint8Array>): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== header[i]) return false;
  return true;
}

function hex(bytes: Uint8Array, from: number, to: number): string {
  let out = '0x';
  for (let i = to - 1; i >= from; i--) out += (bytes[i] as number).toString(16).padStart(2, '0');
  return out;
}
