import { WasmMetaError } from '../errors.js';
import { LIMITS } from '../limits.js';
import type { ByteReading, ByteRequest } from './byte-source.js';
import { type BinaryKind, HEADER_LENGTH, readHeader } from './header.js';
import {
  MAX_NAME_LENGTH_LENGTH,
  MAX_SECTION_HEADER_LENGTH,
  type Section,
  type SectionHeader,
  decodeCustomName,
  parseCustomNameSpan,
  parseSectionHeader,
} from './sections.js';

/** The section id of a nested core module in a component. */
export const CORE_MODULE_SECTION_ID = 1;
/** The section id of a nested component in a component. */
export const COMPONENT_SECTION_ID = 4;

/** A binary the walk has entered. */
export interface WalkedBinary {
  readonly kind: BinaryKind;
  /** From its own `\0asm` to its end, in file offsets. */
  readonly range: { readonly start: number; readonly end: number };
  /** 0 for the outermost binary. */
  readonly depth: number;
  /** The section of the parent that holds it; `undefined` for the outermost binary. */
  readonly section: SectionHeader | undefined;
}

/**
 * A section's bytes asked for in one piece: the walk hands them to `take` at once when its
 * window of framing bytes already holds them (a small metadata section usually lies in the
 * window its header was read from), and otherwise asks the driver for them first. Cheaper than
 * a {@link ByteReading} for the common case: no generator, no round trip through the driver.
 */
export interface SectionBytes {
  readonly offset: number;
  readonly length: number;
  take(data: Uint8Array): void;
}

/**
 * What a walk tells, in file order. `T` is the visitor's own record of a binary: `enter`
 * makes it, and the walk hands it back with the binary's sections and when it ends.
 */
export interface WalkVisitor<T> {
  /** A binary starts: the outermost, or one nested in a section of `parent`. */
  enter(binary: WalkedBinary, parent: T | undefined): T;
  /**
   * A section of `owner`; a custom section comes with its name. A component's nested module
   * and component sections come before the binaries in them are entered. The visitor may
   * ask for bytes: a range in one piece ({@link SectionBytes}), or a reading of its own.
   */
  section(owner: T, section: Section): SectionBytes | ByteReading<void> | undefined;
  /** A binary ends, after all of its sections and the binaries nested in it. */
  leave(binary: T, parent: T | undefined): void;
}

/** Bytes asked for at a time to read framing; headers that fall inside are read without asking again. */
const WINDOW_LENGTH = 4096;
/** Bytes a section header with a short custom-section name takes. */
const SECTION_PROBE_LENGTH = MAX_SECTION_HEADER_LENGTH + MAX_NAME_LENGTH_LENGTH + 53;

/**
 * The one walk over a WebAssembly binary of `length` bytes and every module and component
 * nested in it, at any depth. It checks the framing as it goes (preambles, section sizes,
 * custom-section names, nesting, and the structural {@link LIMITS}), throwing a
 * {@link WasmMetaError} with the offset, and tells `visitor` about every binary and section.
 *
 * It is sans-I/O (see `byte-source.ts`): it asks for the bytes it needs, a window at a time,
 * so that the same walk reads bytes in memory without copies and a file by position. The
 * metadata reader and the editor are both visitors of this walk; the outermost binary's
 * record is returned.
 */
export function* walkBinaries<T>(length: number, visitor: WalkVisitor<T>): ByteReading<T> {
  const counters = new StructureCounters();
  // The last window of bytes asked for. (Plain locals, not closures: this loop is hot.)
  let window = yield windowRequest(0, Math.min(HEADER_LENGTH, length), length);
  let windowStart = 0;
  let windowEnd = window.length;

  counters.countBinary(0);
  const rootKind = readHeader(window, 0, 0, Math.min(HEADER_LENGTH, length));
  const root: WalkedBinary = { kind: rootKind, range: { start: 0, end: length }, depth: 0, section: undefined };
  const rootRecord = visitor.enter(root, undefined);
  const stack: Array<{ binary: WalkedBinary; record: T; pos: number }> = [
    { binary: root, record: rootRecord, pos: HEADER_LENGTH },
  ];

  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    const { kind, range } = frame.binary;
    if (frame.pos >= range.end) {
      stack.pop();
      visitor.leave(frame.record, stack[stack.length - 1]?.record);
      continue;
    }

    const start = frame.pos;
    const probe = Math.min(SECTION_PROBE_LENGTH, range.end - start);
    if (start < windowStart || start + probe > windowEnd) {
      window = yield windowRequest(start, probe, length);
      windowStart = start;
      windowEnd = start + window.length;
    }
    const header = parseSectionHeader(window, start, range.end, kind, start - windowStart);
    counters.countSection(start);
    frame.pos = header.end;

    let name: string | undefined;
    let dataStart = header.bodyStart;
    if (header.id === 0) {
      const lengthBytes = Math.min(MAX_NAME_LENGTH_LENGTH, header.end - header.bodyStart);
      if (header.bodyStart < windowStart || header.bodyStart + lengthBytes > windowEnd) {
        window = yield windowRequest(header.bodyStart, lengthBytes, length);
        windowStart = header.bodyStart;
        windowEnd = windowStart + window.length;
      }
      const { nameStart, nameEnd } = parseCustomNameSpan(window, header, header.bodyStart - windowStart);
      if (nameStart < windowStart || nameEnd > windowEnd) {
        window = yield windowRequest(nameStart, nameEnd - nameStart, length);
        windowStart = nameStart;
        windowEnd = windowStart + window.length;
      }
      name = decodeCustomName(window, header, nameStart - windowStart, nameEnd - windowStart);
      dataStart = nameEnd;
    }
    // Spelled out: an object spread here is many times slower (V8 takes a generic path).
    const section: Section = {
      id: header.id,
      start: header.start,
      bodyStart: header.bodyStart,
      end: header.end,
      name,
      dataStart,
    };
    const wanted = visitor.section(frame.record, section);
    if (wanted !== undefined) {
      if (!('take' in wanted)) {
        yield* wanted;
      } else if (wanted.offset >= windowStart && wanted.offset + wanted.length <= windowEnd) {
        const from = wanted.offset - windowStart;
        wanted.take(window.subarray(from, from + wanted.length));
      } else {
        wanted.take(yield { offset: wanted.offset, length: wanted.length });
      }
    }

    if (kind === 'component' && (header.id === CORE_MODULE_SECTION_ID || header.id === COMPONENT_SECTION_ID)) {
      const depth = frame.binary.depth + 1;
      checkNestingDepth(depth, start);
      counters.countBinary(start);
      const childHeader = Math.min(HEADER_LENGTH, header.end - header.bodyStart);
      if (header.bodyStart < windowStart || header.bodyStart + childHeader > windowEnd) {
        window = yield windowRequest(header.bodyStart, childHeader, length);
        windowStart = header.bodyStart;
        windowEnd = windowStart + window.length;
      }
      const childKind = readHeader(window, header.bodyStart, header.bodyStart - windowStart, childHeader);
      checkNestedKind(header.id, childKind, header.bodyStart);
      const child: WalkedBinary = {
        kind: childKind,
        range: { start: header.bodyStart, end: header.end },
        depth,
        section: header,
      };
      const record = visitor.enter(child, frame.record);
      stack.push({ binary: child, record, pos: header.bodyStart + HEADER_LENGTH });
    }
  }
  return rootRecord;
}

/** A request for at least `need` bytes at `offset`: a window, where the file has that many. */
function windowRequest(offset: number, need: number, fileLength: number): ByteRequest {
  return { offset, length: Math.max(need, Math.min(WINDOW_LENGTH, fileLength - offset)) };
}

/** Counts the binaries and sections of one file against {@link LIMITS}. */
class StructureCounters {
  private binaries = 0;
  private sections = 0;

  /** Counts a binary whose section (or the file, for the outermost) starts at `offset`. */
  countBinary(offset: number): void {
    if (++this.binaries > LIMITS.maxBinaries) {
      throw new WasmMetaError(
        'too-many',
        `the file holds more than ${LIMITS.maxBinaries} modules and components`,
        offset,
      );
    }
  }

  /** Counts a section that starts at `offset`. */
  countSection(offset: number): void {
    if (++this.sections > LIMITS.maxSections) {
      throw new WasmMetaError('too-many', `the file holds more than ${LIMITS.maxSections} sections`, offset);
    }
  }
}

/** Refuses a binary nested at `depth` (the outermost is 0) deeper than the limit. */
function checkNestingDepth(depth: number, sectionStart: number): void {
  if (depth > LIMITS.maxNestingDepth) {
    throw new WasmMetaError(
      'too-deep',
      `binaries are nested deeper than the limit of ${LIMITS.maxNestingDepth}`,
      sectionStart,
    );
  }
}

/** Refuses a core-module section that holds a component, or a component section a module. */
function checkNestedKind(sectionId: number, kind: BinaryKind, bodyStart: number): void {
  if ((sectionId === CORE_MODULE_SECTION_ID) !== (kind === 'module')) {
    const expected = sectionId === CORE_MODULE_SECTION_ID ? 'core module' : 'component';
    throw new WasmMetaError('kind-mismatch', `a ${expected} section holds a ${kind}`, bodyStart);
  }
}
