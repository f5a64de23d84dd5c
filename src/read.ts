import { type ByteReading, runOnBytes } from './binary/byte-source.js';
import type { BinaryKind } from './binary/header.js';
import type { Section } from './binary/sections.js';
import { type SectionBytes, type WalkVisitor, type WalkedBinary, walkBinaries } from './binary/walk.js';
import { WasmMetaError } from './errors.js';
import { TEXT_FIELDS } from './fields.js';
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
  return (yield* walkBinaries(length, new MetadataReader(options))).binary;
}

/**
 * The visitor of the walk that builds the metadata tree: it decodes the metadata sections
 * and the import and export sections, and turns a section that fails validation into a
 * diagnostic of its binary (or, in strict mode, into an `invalid-metadata` error).
 */
export class MetadataReader implements WalkVisitor<Frame> {
  constructor(private readonly options: ReadOptions = {}) {}

  enter(binary: WalkedBinary): Frame {
    return { binary: emptyBinary(binary.kind, binary.range.start, binary.range.end), authorsSeen: false };
  }

  section(frame: Frame, section: Section): SectionBytes | ByteReading<void> | undefined {
    const { id } = section;
    if (id === 0) {
      const name = section.name as string;
      const reader = customSectionReaders.get(name);
      if (reader === undefined) return undefined;
      if ('read' in reader) return this.reportingDiagnostics(frame, section.start, name, reader.read(frame, section));
      reader.reset(frame);
      return this.bytesOf(frame, section, name, reader.maxBytes, (data) => reader.decode(frame, data, section));
    }
    const kind = frame.binary.kind;
    if (
      (kind === 'component' && (id === COMPONENT_IMPORT_SECTION_ID || id === COMPONENT_EXPORT_SECTION_ID)) ||
      (kind === 'module' && (id === MODULE_IMPORT_SECTION_ID || id === MODULE_EXPORT_SECTION_ID))
    ) {
      const isImport = id === COMPONENT_IMPORT_SECTION_ID || id === MODULE_IMPORT_SECTION_ID;
      return this.bytesOf(frame, section, isImport ? 'import' : 'export', LIMITS.maxDecodedSectionBytes, (body) =>
        decodeInterface(frame.binary, body, section.bodyStart, isImport),
      );
    }
    return undefined;
  }

  leave(frame: Frame, parent: Frame | undefined): void {
    const binary = this.finish(frame);
    parent?.binary.children.push(binary);
  }

  /** The binary of `frame`, complete once all of its sections have been read. */
  protected finish(frame: Frame): WasmBinary {
    const { binary } = frame;
    // The legacy `author` is only a fallback for a binary without an `authors` section.
    if (!frame.authorsSeen && binary.legacy !== null && binary.legacy.author !== null) {
      binary.authors = binary.legacy.author;
    }
    return binary;
  }

  /**
   * Asks for a section's data (a custom section's after its name, another's whole body), for
   * `decode`. Too many bytes, or a `WasmMetaError` from `decode`, make a diagnostic of the binary
   * (see {@link report}).
   */
  private bytesOf(
    frame: Frame,
    section: Section,
    name: string,
    maxBytes: number,
    decode: (data: Uint8Array) => void,
  ): SectionBytes | undefined {
    const offset = section.dataStart;
    const length = section.end - offset;
    if (length > maxBytes) {
      this.report(
        frame,
        section.start,
        name,
        new WasmMetaError(
          'too-long',
          section.id === 0
            ? `section data of ${length} bytes is larger than the limit of ${maxBytes}`
            : `section of ${length} bytes is too large to list`,
          section.start,
        ),
      );
      return undefined;
    }
    return {
      offset,
      length,
      take: (data) => {
        try {
          decode(data);
        } catch (error) {
          this.report(frame, section.start, name, error);
        }
      },
    };
  }

  /** Runs a section reader that reads in steps of its own, reporting as {@link bytesOf} does. */
  private *reportingDiagnostics(
    frame: Frame,
    offset: number,
    section: string,
    reading: ByteReading<void>,
  ): ByteReading<void> {
    try {
      yield* reading;
    } catch (error) {
      this.report(frame, offset, section, error);
    }
  }

  /**
   * Turns the `WasmMetaError` of a section's reader into a diagnostic of the binary (or, in
   * strict mode, into an `invalid-metadata` error for the whole read); rethrows anything else.
   */
  private report(frame: Frame, offset: number, section: string, error: unknown): void {
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

/** The tree node of a binary being read. */
export interface Frame {
  binary: WasmBinary;
  /** Whether an `authors` section was seen, so the legacy `author` is only a fallback. */
  authorsSeen: boolean;
}

/**
 * How a custom section that carries metadata is read: most decode their data in one piece
 * (`reset` clears the value first, so that an invalid section leaves none); the name sections
 * read in steps of their own (a `name` section's function names can be megabytes).
 */
type CustomSectionReader =
  | {
      reset(frame: Frame): void;
      maxBytes: number;
      decode(frame: Frame, data: Uint8Array, section: Section): void;
    }
  | { read(frame: Frame, section: Section): ByteReading<void> };

/** The readers of the custom sections that carry metadata, by section name. */
const customSectionReaders = new Map<string, CustomSectionReader>();

for (const field of TEXT_FIELDS) {
  customSectionReaders.set(field.section, {
    reset(frame) {
      frame.binary[field.key] = null;
      if (field.key === 'authors') frame.authorsSeen = true;
    },
    maxBytes: LIMITS.maxValueBytes,
    decode(frame, data, section) {
      frame.binary[field.key] = decodeTextValue(data, section.start, field.value);
    },
  });
}

const legacyOf = (frame: Frame): NonNullable<WasmBinary['legacy']> =>
  (frame.binary.legacy ??= { author: null, registryMetadata: null });

customSectionReaders.set(LEGACY_AUTHOR_SECTION, {
  reset: (frame) => void (legacyOf(frame).author = null),
  maxBytes: LIMITS.maxValueBytes,
  decode: (frame, data, section) => void (legacyOf(frame).author = decodeTextValue(data, section.start)),
});

customSectionReaders.set(REGISTRY_METADATA_SECTION, {
  reset: (frame) => void (legacyOf(frame).registryMetadata = null),
  maxBytes: LIMITS.maxValueBytes,
  decode: (frame, data, section) =>
    void (legacyOf(frame).registryMetadata = decodeRegistryMetadata(data, section.start)),
});

customSectionReaders.set(PRODUCERS_SECTION, {
  reset: (frame) => void (frame.binary.producers = null),
  maxBytes: LIMITS.maxDecodedSectionBytes,
  decode: (frame, data, section) => void (frame.binary.producers = decodeProducers(data, section.dataStart)),
});

customSectionReaders.set(DEPENDENCIES_SECTION, {
  reset: (frame) => void (frame.binary.dependencies = null),
  maxBytes: LIMITS.maxDecodedSectionBytes,
  decode: (frame, data, section) => void (frame.binary.dependencies = decodeDependencies(data, section.start)),
});

// Either name section names the binary it is in, whatever its kind, as in wasm-tools. One
// without subsection 0 leaves an earlier name in place; an invalid one leaves the name null.
const readName: CustomSectionReader = {
  *read(frame, section) {
    const earlier = frame.binary.name;
    frame.binary.name = null;
    const { name } = yield* readNameSection(section.dataStart, section.end);
    frame.binary.name = name ?? earlier;
  },
};
customSectionReaders.set(NAME_SECTION, readName);
customSectionReaders.set(COMPONENT_NAME_SECTION, readName);

/**
 * A binary with no metadata, as the template that every new tree node is copied from: the
 * text fields come from the field table, and copying one object (a spread, which V8 does by
 * copying its shape) is several times faster than adding those fields one by one.
 */
const EMPTY_BINARY: Readonly<WasmBinary> = (() => {
  const binary: Record<string, unknown> = {
    kind: 'module',
    range: null,
    name: null,
    producers: null,
    dependencies: null,
    imports: null,
    exports: null,
    legacy: null,
    diagnostics: null,
    children: null,
  };
  for (const field of TEXT_FIELDS) binary[field.key] = null;
  return binary as unknown as WasmBinary;
})();

function emptyBinary(kind: BinaryKind, start: number, end: number): WasmBinary {
  const binary = { ...EMPTY_BINARY };
  binary.kind = kind;
  binary.range = { start, end };
  binary.imports = [];
  binary.exports = [];
  binary.diagnostics = [];
  binary.children = [];
  return binary;
}

/** Decodes an import or export section's body into the binary's interface. */
function decodeInterface(binary: WasmBinary, body: Uint8Array, bodyStart: number, isImport: boolean): void {
  if (binary.kind === 'component') {
    if (isImport) decodeComponentImports(body, bodyStart, binary.imports as ComponentImport[]);
    else decodeComponentExports(body, bodyStart, binary.exports as ComponentExport[]);
  } else if (isImport) {
    decodeModuleImports(body, bodyStart, binary.imports as ModuleImport[]);
  } else {
    decodeModuleExports(body, bodyStart, binary.exports as ModuleExport[]);
  }
}
