import { ByteReader } from '../binary/byte-reader.js';
import type { ByteReading } from '../binary/byte-source.js';
import type { ByteWriter } from '../binary/byte-writer.js';
import { WasmMetaError } from '../errors.js';

/** Section name of a core module's name section. */
export const NAME_SECTION = 'name';
/** Section name of a component's name section. */
export const COMPONENT_NAME_SECTION = 'component-name';

/** The name section that names a binary of a kind. */
export function nameSectionFor(kind: 'module' | 'component'): string {
  return kind === 'module' ? NAME_SECTION : COMPONENT_NAME_SECTION;
}

/** One subsection of a name section, in file offsets. */
export interface NameSubsection {
  id: number;
  start: number;
  end: number;
}

/** What a name section holds: its subsections in order, and the name (subsection 0) if any. */
export interface NameSectionContents {
  subsections: NameSubsection[];
  /** The string of the last subsection 0; `undefined` if there is none. */
  name: string | undefined;
}

/**
 * Reads a `name` or `component-name` section whose data spans file offsets `dataStart` to
 * `dataEnd`. Both use the same framing: subsections of `id:u8`, `size:leb`, body, where
 * subsection 0 is exactly one `str`, the binary's name. Only subsection headers and the body
 * of subsection 0 are requested, so a large name section (the function names of a big module)
 * costs a few small reads.
 */
export function* readNameSection(dataStart: number, dataEnd: number): ByteReading<NameSectionContents> {
  const subsections: NameSubsection[] = [];
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
    subsections.push({ id, start: pos, end: bodyStart + size });
    pos = bodyStart + size;
  }
  return { subsections, name };
}

/** Writes subsection 0 holding `name`, with a minimal size. */
export function writeNameSubsection(out: ByteWriter, name: string): void {
  out.u8(0).fork().string(name).join();
}
