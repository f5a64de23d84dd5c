import type { BinaryKind } from './binary/header.js';
import type { TextFields } from './fields.js';

export type { BinaryKind } from './binary/header.js';
export type { TextFields } from './fields.js';

/** A byte range `start..end` (end exclusive) in file offsets. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The producers section: field (`language`, `processed-by`, `sdk`) to an ordered map of tool
 * name to version. Maps keep insertion order for every key, which matters for names like "2".
 */
export type Producers = Map<string, Map<string, string>>;

/** One package of a cargo-auditable `.dep-v0` dependency list. */
export interface DependencyPackage {
  name: string;
  version: string;
  source: string;
  kind: 'build' | 'runtime';
  /** Indexes into {@link DependencyList.packages}. */
  dependencies: number[];
  root: boolean;
}

/** The dependency list of a `.dep-v0` section. */
export interface DependencyList {
  packages: DependencyPackage[];
  format: number;
}

/** Kinds of component imports and exports. */
export type ComponentExternKind = 'module' | 'func' | 'value' | 'type' | 'component' | 'instance';

/** Kinds of core-module imports and exports. */
export type ModuleExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

/** A top-level import of a component, such as `wasi:http/types@0.2.0`. */
export interface ComponentImport {
  name: string;
  kind: ComponentExternKind;
}

/** A top-level export of a component. */
export interface ComponentExport {
  name: string;
  kind: ComponentExternKind;
}

/** An import of a core module. */
export interface ModuleImport {
  module: string;
  name: string;
  kind: ModuleExternKind;
}

/** An export of a core module. */
export interface ModuleExport {
  name: string;
  kind: ModuleExternKind;
}

/** A metadata section that failed validation; reading went on without its value. */
export interface Diagnostic {
  /** File offset of the section's id byte. */
  offset: number;
  /** The section's name (`licenses`, `producers`, ...), or `import` / `export`. */
  section: string;
  message: string;
}

/** Metadata found in sections that current tools no longer write. */
export interface LegacyMetadata {
  /** The `author` section written by wasm-metadata 0.222 to 0.225. */
  author: string | null;
  /** The parsed JSON of the `registry-metadata` section, as stored. */
  registryMetadata: Readonly<Record<string, unknown>> | null;
}

/**
 * A core module or component in a file, with its own metadata and, for a component, the
 * modules and components nested directly inside it. The text fields (`authors`, `licenses`, …)
 * are those of the field table, `fields.ts`; each is `null` where the binary has no valid section.
 */
export interface WasmBinary extends TextFields {
  kind: BinaryKind;
  /** Where this binary lies in the file: from its own `\0asm` to its end. */
  range: ByteRange;
  /** From subsection 0 of the `name` or `component-name` section. */
  name: string | null;
  producers: Producers | null;
  dependencies: DependencyList | null;
  /** Imports in binary order (component imports for a component, core imports for a module). */
  imports: ComponentImport[] | ModuleImport[];
  exports: ComponentExport[] | ModuleExport[];
  legacy: LegacyMetadata | null;
  /** Metadata sections of this binary that failed validation. */
  diagnostics: Diagnostic[];
  /** Direct children, in binary order; always empty for a module. */
  children: WasmBinary[];
}

/** Yields `root` and every binary nested in it, in pre-order (the order `show` lists them). */
export function* binariesOf(root: WasmBinary): Generator<WasmBinary> {
  const stack: WasmBinary[] = [root];
  while (stack.length > 0) {
    const binary = stack.pop() as WasmBinary;
    yield binary;
    for (let i = binary.children.length - 1; i >= 0; i--) stack.push(binary.children[i] as WasmBinary);
  }
}

/**
 * `root` and every binary nested in it, in pre-order, each with its nested path: the child
 * indexes that lead to it from the root (`[]` for the root), which is what an edit's `nested`
 * (`add --nested`) takes to select it.
 */
export function* binariesWithPaths(root: WasmBinary): Generator<[WasmBinary, readonly number[]]> {
  const stack: [WasmBinary, readonly number[]][] = [[root, []]];
  while (stack.length > 0) {
    const [binary, path] = stack.pop() as [WasmBinary, readonly number[]];
    yield [binary, path];
    for (let i = binary.children.length - 1; i >= 0; i--) stack.push([binary.children[i] as WasmBinary, [...path, i]]);
  }
}

/** A nested path as `--nested` takes it (`1.0`), or `null` for the root, which needs none. */
export function formatNestedPath(path: readonly number[]): string | null {
  return path.length === 0 ? null : path.join('.');
}

/** Every diagnostic in the tree, in file order of the binaries. */
export function diagnosticsOf(root: WasmBinary): Diagnostic[] {
  const all: Diagnostic[] = [];
  for (const binary of binariesOf(root)) all.push(...binary.diagnostics);
  return all.sort((a, b) => a.offset - b.offset);
}
