import { ByteReader } from '../binary/byte-reader.js';
import type { ByteReading } from '../binary/byte-source.js';
import { WasmMetaError } from '../errors.js';

/** Section name of a core module's name section. */
export const NAME_SECTION = 'name';
/** Section name of a component's name section. */
export const COMPONENT_NAME_SECTION = 'component-name';

/**
 * Reads the name (subsection 0) of a `name` or `component-name` section whose data spans file
 * offsets `dataStart` to `dataEnd`. Both use the same framing: subsections of `id:u8`,
 * `size:leb`, body; subsection 0 is exactly one `str`. Only subsection headers and the body
 * of subsection 0 are read, so a large name section (function names of a big module) costs a
 * few small reads. Returns `undefined` when there is no subsection 0.
 */
export function* readNameSubsection(dataStart: number, dataEnd: number): ByteReading<string | undefined> {
  let name: string | undefined;
  let pos = dataStart;
  while (pos < dataEnd) {
    const head = yield { offset: pos, length: Math.min(6, dataEnd - pos) };
    const reader = new ByteReader(head, pos);
    const id = reader.u8();
    const size = reader.varU32();
    const bodyStart = reader.offset;
    if (size > dataEnd - bodyStart) {
      throw new WasmMetaError('section-overflow', `name subsection ${id} runs past the end of the section`, pos);
    }
    if (id === 0) {
      const body = yield { offset: bodyStart, length: size };
      const bodyReader = new ByteReader(body, bodyStart);
      name = bodyReader.string();
      if (!bodyReader.done) bodyReader.fail('invalid-metadata', 'trailing data at the end of a name');
    }
    pos = bodyStart + size;
  }
  return name;
}
