import { type ByteReading, runOnBytes } from './binary/byte-source.js';
import {
  COMPONENT_SECTION_ID,
  CORE_MODULE_SECTION_ID,
  StructureCounters,
  checkNestedKind,
  checkNestingDepth,
} from './binary/framing.js';
import { type BinaryKind, HEADER_LENGTH, readHeader } from './binary/header.js';
import {
  MAX_NAME_LENGTH_LENGTH,
  MAX_SECTION_HEADER_LENGTH,
  type SectionHeader,
  decodeCustomName,
  parseCustomNameSpan,
  parseSectionHeader,
} from './binary/sections.js';
import { WasmMetaError } from './errors.js';
import { LIMITS } from './limits.js';
import type { ComponentExport, ComponentImport, ModuleExport, ModuleImport, WasmBinary } from './metadata.js';
import { DEPENDENCIES_SECTION, decodeDependencies } from './sections/dependencies.js';
import {
  COMPONENT_EXPORT_SECTION_ID,
  COMPONENT_IMPORT_SECTION_ID,
  MODULE_EXPORT_SECTION_ID,
  MODULE_IMPORT_SECTION_ID,
  decodeComponentExports,
  decodeComponentImports,
  decodeModuleExports,
  decodeModuleImports,
} from './sections/imports-exports.js';
import { COMPONENT_NAME_SECTION, NAME_SECTION, readNameSection } from './sections/names.js';
import { PRODUCERS_SECTION, decodeProducers } from './sections/producers.js';
import { REGISTRY_METADATA_SECTION, decodeRegistryMetadata } from './sections/registry-metadata.js';
import { LEGACY_AUTHOR_SECTION, decodeTextValue } from './sections/text.js';
import { TEXT_FIELDS } from './fields.js';

/** Bytes asked for at each section: the header, a name length and a name of up to 53 bytes. */
const SECTION_PROBE_LENGTH = MAX_SECTION_HEADER_LENGTH + MAX_NAME_LENGTH_LENGTH + 53;

/** Options for reading metadata. */
export interface ReadOptions {
  /**
   * Throw a {@link WasmMetaError} (`invalid-metadata`) for the first metadata section that
   * fails validation, instead of reporting it as a diagnostic and reading on.
   */
  strict?: boolean;
}

/**
 * Reads the metadata tree of a WebAssembly module or component held in memory. Nothing is
 * copied: sections are decoded from subarray views of `bytes`.
 *
 * Framing errors throw a {@link WasmMetaError} with the byte offset. A metadata section whose
 * value is invalid leaves that field `null` and adds a diagnostic (or throws, with `strict`).
 */
export function readMetadata(bytes: Uint8Array, options: ReadOptions = {}): WasmBinary {
  return runOnBytes(readMetadataFrom(bytes.length, options), bytes);
}

/**
 * The sans-I/O form of {@link readMetadata}: reads a binary of `length` bytes by asking for
 * the byte ranges it needs. Run it with `runOnBytes`, `runSync` or `runAsync`; for a file,
 * only section headers and the metadata sections themselves are requested.
 */
export function* readMetadataFrom(length: number, options: ReadOptions = {}): ByteReading<WasmBinary> {
  const walk = new Walk(options);
  const root = yield* walk.openBinary(0, length, 0);
  const stack: Frame[] = [{ binary: root, pos: HEADER_LENGTH, end: length, authorsSeen: false }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.pos >= frame.end) {
      finishBinary(frame);
      stack.pop();
      stack[stack.length - 1]?.binary.children.push(frame.binary);
      continue;
    }
    const { header: section, head } = yield* walk.readSectionHeader(frame);
    const { id, start, bodyStart, end } = section;
    frame.pos = end;
    const kind = frame.binary.kind;
    if (id === 0) {
      yield* walk.readCustomSection(frame, section, head);
    } else if (kind === 'component' && (id === CORE_MODULE_SECTION_ID || id === COMPONENT_SECTION_ID)) {
      checkNestingDepth(stack.length, start);
      const child = yield* walk.openBinary(bodyStart, end, start);
      checkNestedKind(id, child.kind, bodyStart);
      stack.push({ binary: child, pos: bodyStart + HEADER_LENGTH, end, authorsSeen: false });
    } else if (kind === 'component' && (id === COMPONENT_IMPORT_SECTION_ID || id === COMPONENT_EXPORT_SECTION_ID)) {
      yield* walk.readInterfaceSection(frame, section);
    } else if (kind === 'module' && (id === MODULE_IMPORT_SECTION_ID || id === MODULE_EXPORT_SECTION_ID)) {
      yield* walk.readInterfaceSection(frame, section);
    }
  }
  return root;
}

/** A binary being read: where the next section starts and where the binary ends. */
interface Frame {
  binary: WasmBinary;
  pos: number;
  end: number;
  /** Whether an `authors` section was seen, so the legacy `author` is only a fallback. */
  authorsSeen: boolean;
}

/** A custom section: its framing plus where its data (after the name) starts. */
interface CustomSection extends SectionHeader {
  name: string;
  dataStart: number;
}

type CustomSectionReader = (frame: Frame, section: CustomSection) => ByteReading<void>;

/** The readers of the custom sections that carry metadata, by section name. */
const customSectionReaders = new Map<string, CustomSectionReader>();

for (const field of TEXT_FIELDS) {
  customSectionReaders.set(field.section, function* (frame, section) {
    frame.binary[field.key] = null;
    if (field.key === 'authors') frame.authorsSeen = true;
    const data = yield* readData(section, LIMITS.maxValueBytes);
    frame.binary[field.key] = decodeTextValue(data, section.start, field.value);
  });
}

customSectionReaders.set(LEGACY_AUTHOR_SECTION, function* (frame, section) {
  const legacy = (frame.binary.legacy ??= { author: null, registryMetadata: null });
  legacy.author = null;
  const data = yield* readData(section, LIMITS.maxValueBytes);
  legacy.author = decodeTextValue(data, section.start);
});

customSectionReaders.set(REGISTRY_METADATA_SECTION, function* (frame, section) {
  const legacy = (frame.binary.legacy ??= { author: null, registryMetadata: null });
  legacy.registryMetadata = null;
  const data = yield* readData(section, LIMITS.maxValueBytes);
  legacy.registryMetadata = decodeRegistryMetadata(data, section.start);
});

customSectionReaders.set(PRODUCERS_SECTION, function* (frame, section) {
  frame.binary.producers = null;
  const data = yield* readData(section, LIMITS.maxDecodedSectionBytes);
  frame.binary.producers = decodeProducers(data, section.dataStart);
});

customSectionReaders.set(DEPENDENCIES_SECTION, function* (frame, section) {
  frame.binary.dependencies = null;
  const data = yield* readData(section, LIMITS.maxDecodedSectionBytes);
  frame.binary.dependencies = decodeDependencies(data, section.start);
});

// Either name section names the binary it is in, whatever its kind, as in wasm-tools. One
// without subsection 0 leaves an earlier name in place; an invalid one leaves the name null.
const readName: CustomSectionReader = function* (frame, section) {
  const earlier = frame.binary.name;
  frame.binary.name = null;
  const { name } = yield* readNameSection(section.dataStart, section.end);
  frame.binary.name = name ?? earlier;
};
customSectionReaders.set(NAME_SECTION, readName);
customSectionReaders.set(COMPONENT_NAME_SECTION, readName);

/** Requests a custom section's data, refusing data larger than `maxBytes`. */
function* readData(section: CustomSection, maxBytes: number): ByteReading<Uint8Array> {
  const length = section.end - section.dataStart;
  if (length > maxBytes) {
    throw new WasmMetaError(
      'too-long',
      `section data of ${length} bytes is larger than the limit of ${maxBytes}`,
      section.start,
    );
  }
  return yield { offset: section.dataStart, length };
}

function finishBinary(frame: Frame): void {
  const { binary } = frame;
  if (!frame.authorsSeen && binary.legacy !== null && binary.legacy.author !== null) {
    binary.authors = binary.legacy.author;
  }
}

function emptyBinary(kind: BinaryKind, start: number, end: number): WasmBinary {
  const binary = {
    kind,
    range: { start, end },
    name: null,
    producers: null,
    dependencies: null,
    imports: [],
    exports: [],
    legacy: null,
    diagnostics: [],
    children: [],
  } as unknown as WasmBinary;
  for (const field of TEXT_FIELDS) binary[field.key] = null;
  return binary;
}

/** The state of one read: options and the counters that enforce the limits. */
class Walk {
  private readonly counters = new StructureCounters();

  constructor(private readonly options: ReadOptions) {}

  /** Reads the preamble of a binary that spans `start..end`; `sectionStart` is for errors. */
  *openBinary(start: number, end: number, sectionStart: number): ByteReading<WasmBinary> {
    this.counters.countBinary(sectionStart);
    const header = yield { offset: start, length: Math.min(HEADER_LENGTH, end - start) };
    return emptyBinary(readHeader(header, start), start, end);
  }

  /**
   * Reads the id and size of the section at `frame.pos` and checks that it fits its parent.
   * One request covers the header and, for most custom sections, the name as well.
   */
  *readSectionHeader(frame: Frame): ByteReading<{ header: SectionHeader; head: Uint8Array }> {
    const start = frame.pos;
    const head = yield { offset: start, length: Math.min(SECTION_PROBE_LENGTH, frame.end - start) };
    const header = parseSectionHeader(head, start, frame.end, frame.binary.kind);
    this.counters.countSection(start);
    return { header, head };
  }

  /** Reads a custom section's name and, if it carries metadata, decodes it. `head` holds its first bytes. */
  *readCustomSection(frame: Frame, header: SectionHeader, head: Uint8Array): ByteReading<void> {
    const { start, bodyStart, end } = header;
    const headEnd = start + head.length;
    const { nameStart, nameEnd } =
      bodyStart + MAX_NAME_LENGTH_LENGTH <= headEnd || end <= headEnd
        ? parseCustomNameSpan(head, header, bodyStart - start)
        : parseCustomNameSpan(
            yield { offset: bodyStart, length: Math.min(MAX_NAME_LENGTH_LENGTH, end - bodyStart) },
            header,
          );
    const name =
      nameEnd <= headEnd
        ? decodeCustomName(head, header, nameStart - start, nameEnd - start)
        : decodeCustomName(yield { offset: nameStart, length: nameEnd - nameStart }, header);
    const read = customSectionReaders.get(name);
    if (read === undefined) return;
    yield* this.reportingDiagnostics(
      frame,
      header.start,
      name,
      read(frame, { id: header.id, start: header.start, bodyStart, end, name, dataStart: nameEnd }),
    );
  }

  /** Reads an import or export section into the binary's interface. */
  *readInterfaceSection(frame: Frame, header: SectionHeader): ByteReading<void> {
    const { binary } = frame;
    const isImport = header.id === COMPONENT_IMPORT_SECTION_ID || header.id === MODULE_IMPORT_SECTION_ID;
    const { bodyStart, end } = header;
    const reading = function* (): ByteReading<void> {
      if (end - bodyStart > LIMITS.maxDecodedSectionBytes) {
        throw new WasmMetaError('too-long', `section of ${end - bodyStart} bytes is too large to list`, header.start);
      }
      const body = yield { offset: bodyStart, length: end - bodyStart };
      if (binary.kind === 'component') {
        if (isImport) decodeComponentImports(body, bodyStart, binary.imports as ComponentImport[]);
        else decodeComponentExports(body, bodyStart, binary.exports as ComponentExport[]);
      } else if (isImport) {
        decodeModuleImports(body, bodyStart, binary.imports as ModuleImport[]);
      } else {
        decodeModuleExports(body, bodyStart, binary.exports as ModuleExport[]);
      }
    };
    yield* this.reportingDiagnostics(frame, header.start, isImport ? 'import' : 'export', reading());
  }

  /**
   * Runs a section reader; turns the `WasmMetaError` it throws into a diagnostic of the
   * binary (or, in strict mode, into an `invalid-metadata` error for the whole read).
   */
  private *reportingDiagnostics(
    frame: Frame,
    offset: number,
    section: string,
    reading: ByteReading<void>,
  ): ByteReading<void> {
    try {
      yield* reading;
    } catch (error) {
      if (!(error instanceof WasmMetaError)) throw error;
      const message = error.offset === undefined || error.offset === offset ? error.reason : error.message;
      if (this.options.strict) {
        throw new WasmMetaError('invalid-metadata', `invalid \`${section}\` section: ${message}`, offset, {
          cause: error,
        });
      }
      frame.binary.diagnostics.push({ offset, section, message });
    }
  }
}
