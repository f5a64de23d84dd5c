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
 * Reads the preamble of the binary that starts at file offset `offset`, from `length` bytes
 * of `bytes` starting at `at` (fewer than 8 if the input is shorter), and tells its kind.
 */
export function readHeader(bytes: Uint8Array, offset: number, at = 0, length = bytes.length - at): BinaryKind {
  if (length < 4 || bytes[at] !== 0x00 || bytes[at + 1] !== 0x61 || bytes[at + 2] !== 0x73 || bytes[at + 3] !== 0x6d) {
    if (length < 4 && matches(bytes, at, MODULE_HEADER, length)) {
      throw new WasmMetaError('truncated', 'input ends inside the WebAssembly preamble', offset);
    }
    throw new WasmMetaError('bad-header', 'not a WebAssembly binary: the magic number \\0asm is missing', offset);
  }
  if (length < HEADER_LENGTH) {
    throw new WasmMetaError('truncated', 'input ends inside the WebAssembly preamble', offset);
  }
  if (matches(bytes, at, MODULE_HEADER, HEADER_LENGTH)) return 'module';
  if (matches(bytes, at, COMPONENT_HEADER, HEADER_LENGTH)) return 'component';
  const version = hex(bytes, at + 4, at + 6);
  const layer = hex(bytes, at + 6, at + 8);
  throw new WasmMetaError('bad-header', `unknown binary version ${version} (layer ${layer})`, offset + 4);
}

/** Whether the `count` bytes at `bytes[at]` are the first `count` bytes of `header`. */
function matches(bytes: Uint8Array, at: number, header: Readonly<Uint8Array>, count: number): boolean {
  for (let i = 0; i < count; i++) if (bytes[at + i] !== header[i]) return false;
  return true;
}

function hex(bytes: Uint8Array, from: number, to: number): string {
  let out = '0x';
  for (let i = to - 1; i >= from; i--) out += (bytes[i] as number).toString(16).padStart(2, '0');
  return out;
}
