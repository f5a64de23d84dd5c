import { WasmMetaError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { type BinaryKind, HEADER_LENGTH, readHeader } from './header.js';
import { checkCustomName, parseCustomNameSpan, parseSectionHeader } from './sections.js';

/** Where a binary is in the file, and what kind it is. */
export interface BinarySpan {
  kind: BinaryKind;
  range: { start: number; end: number };
}

/** The section id of a nested core module in a component. */
export const CORE_MODULE_SECTION_ID = 1;
/** The section id of a nested component in a component. */
export const COMPONENT_SECTION_ID = 4;

/**
 * Checks the framing of a whole binary held in memory, as `readMetadata` does (preambles,
 * section headers, custom-section names, nesting, the structural limits) but without decoding
 * any section, and returns the binaries from the outermost one to the one at `path` (each
 * entry indexes the nested modules and components of a component, in order). The result is
 * shorter than `path.length + 1` when the path leads to no binary.
 */
export function checkFraming(bytes: Uint8Array, path: readonly number[] = []): BinarySpan[] {
  const counters = new StructureCounters();
  const root = openSpan(bytes, 0, bytes.length, 0, counters);
  const chain = [root];
  const stack = [{ span: root, pos: HEADER_LENGTH, children: 0, onPath: true }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    const { kind, range } = frame.span;
    if (frame.pos >= range.end) {
      stack.pop();
      continue;
    }
    const start = frame.pos;
    const header = parseSectionHeader(bytes, start, range.end, kind, start);
    counters.countSection(start);
    frame.pos = header.end;
    if (header.id === 0) {
      const { nameStart, nameEnd } = parseCustomNameSpan(bytes, header, header.bodyStart);
      checkCustomName(bytes, nameStart, nameEnd, header);
    } else if (kind === 'component' && (header.id === CORE_MODULE_SECTION_ID || header.id === COMPONENT_SECTION_ID)) {
      const depth = stack.length - 1;
      checkNestingDepth(depth + 1, start);
      const child = openSpan(bytes, header.bodyStart, header.end, start, counters);
      checkNestedKind(header.id, child.kind, header.bodyStart);
      const onPath = frame.onPath && depth < path.length && path[depth] === frame.children;
      frame.children++;
      if (onPath) chain.push(child);
      stack.push({ span: child, pos: header.bodyStart + HEADER_LENGTH, children: 0, onPath });
    }
  }
  return chain;
}

function openSpan(bytes: Uint8Array, start: number, end: number, sectionStart: number, counters: StructureCounters) {
  counters.countBinary(sectionStart);
  const kind = readHeader(bytes.subarray(start, Math.min(start + HEADER_LENGTH, end)), start);
  return { kind, range: { start, end } };
}

/** Counts the binaries and sections of one file against {@link LIMITS}. */
export class StructureCounters {
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
export function checkNestingDepth(depth: number, sectionStart: number): void {
  if (depth > LIMITS.maxNestingDepth) {
    throw new WasmMetaError(
      'too-deep',
      `binaries are nested deeper than the limit of ${LIMITS.maxNestingDepth}`,
      sectionStart,
    );
  }
}

/** Refuses a core-module section that holds a component, or a component section a module. */
export function checkNestedKind(sectionId: number, kind: BinaryKind, bodyStart: number): void {
  if ((sectionId === CORE_MODULE_SECTION_ID) !== (kind === 'module')) {
    const expected = sectionId === CORE_MODULE_SECTION_ID ? 'core module' : 'component';
    throw new WasmMetaError('kind-mismatch', `a ${expected} section holds a ${kind}`, bodyStart);
  }
}
