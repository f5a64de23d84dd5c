import { TEXT_FIELDS } from '../fields.js';
import { type WasmBinary, formatNestedPath } from '../metadata.js';
import { serializeDependencies } from '../sections/dependencies.js';

/**
 * The `--json` output of `show`: compact, no trailing newline, and for every binary the
 * metadata keys of `wasm-tools metadata show --json` in its order (`name`, `producers`, its
 * text fields, `range`, `dependencies`), followed by wasm-meta's additions (the draft's text
 * fields, `imports`, `exports`, `diagnostics`, `legacy`, and `nested`: the `--nested` path,
 * null for the root). Deleting the additions gives wasm-tools' output.
 */
export function renderShowJson(root: WasmBinary): string {
  return binaryJson(root, []);
}

function binaryJson(binary: WasmBinary, path: readonly number[]): string {
  const [open, close] = binaryJsonParts(binary, path);
  if (binary.kind === 'module') return open;
  return open + binary.children.map((child, index) => binaryJson(child, [...path, index])).join(',') + close;
}

/**
 * The JSON of one binary at `path` (see {@link renderShowJson}) around that of its children,
 * which go between the two parts, separated by commas: a reader can make it as each binary
 * ends and drop the binary.
 */
export function binaryJsonParts(binary: WasmBinary, path: readonly number[]): [open: string, close: string] {
  const metadata = metadataJson(binary, formatNestedPath(path));
  if (binary.kind === 'module') return [`{"module":${metadata}}`, ''];
  return [`{"component":{"metadata":${metadata},"children":[`, ']}}'];
}

const str = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

const WASM_TOOLS_TEXT_FIELDS = TEXT_FIELDS.filter((field) => field.wasmTools);
const ADDED_TEXT_FIELDS = TEXT_FIELDS.filter((field) => !field.wasmTools);

function metadataJson(b: WasmBinary, nested: string | null): string {
  const fields: string[] = [
    `"name":${str(b.name)}`,
    `"producers":${producersJson(b)}`,
    ...WASM_TOOLS_TEXT_FIELDS.map((field) => `"${field.key}":${str(b[field.key])}`),
    `"range":{"start":${b.range.start},"end":${b.range.end}}`,
    `"dependencies":${b.dependencies === null ? 'null' : JSON.stringify(serializeDependencies(b.dependencies))}`,
    ...ADDED_TEXT_FIELDS.map((field) => `"${field.key}":${str(b[field.key])}`),
    `"imports":${JSON.stringify(b.imports)}`,
    `"exports":${JSON.stringify(b.exports)}`,
    `"diagnostics":${JSON.stringify(b.diagnostics.map(({ offset, section, message }) => ({ offset, section, message })))}`,
    `"legacy":${
      b.legacy === null
        ? 'null'
        : `{"author":${str(b.legacy.author)},"registry-metadata":${JSON.stringify(b.legacy.registryMetadata)}}`
    }`,
    `"nested":${str(nested)}`,
  ];
  return `{${fields.join(',')}}`;
}

// Built by hand: a plain object would move integer-like names such as "2" to the front.
function producersJson(b: WasmBinary): string {
  if (b.producers === null) return 'null';
  const fields = Array.from(b.producers, ([field, values]) => {
    const pairs = Array.from(values, ([name, version]) => `${JSON.stringify(name)}:${JSON.stringify(version)}`);
    return `[${JSON.stringify(field)},{${pairs.join(',')}}]`;
  });
  return `[${fields.join(',')}]`;
}
