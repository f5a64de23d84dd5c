import type { WasmBinary } from '../metadata.js';
import { serializeDependencies } from '../sections/dependencies.js';

/**
 * The `--json` output of `show`: compact, no trailing newline, and for every binary the
 * eleven metadata keys of `wasm-tools metadata show --json` in its order, followed by
 * wasm-meta's additions (`documentation`, `vendor`, `created`, `imports`, `exports`,
 * `diagnostics`, `legacy`). Deleting the additions gives wasm-tools' output.
 */
export function renderShowJson(root: WasmBinary): string {
  return binaryJson(root);
}

function binaryJson(binary: WasmBinary): string {
  const metadata = metadataJson(binary);
  if (binary.kind === 'module') return `{"module":${metadata}}`;
  return `{"component":{"metadata":${metadata},"children":[${binary.children.map(binaryJson).join(',')}]}}`;
}

const str = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

function metadataJson(b: WasmBinary): string {
  const fields: string[] = [
    `"name":${str(b.name)}`,
    `"producers":${producersJson(b)}`,
    `"authors":${str(b.authors)}`,
    `"description":${str(b.description)}`,
    `"licenses":${str(b.licenses)}`,
    `"source":${str(b.source)}`,
    `"homepage":${str(b.homepage)}`,
    `"revision":${str(b.revision)}`,
    `"version":${str(b.version)}`,
    `"range":{"start":${b.range.start},"end":${b.range.end}}`,
    `"dependencies":${b.dependencies === null ? 'null' : JSON.stringify(serializeDependencies(b.dependencies))}`,
    `"documentation":${str(b.documentation)}`,
    `"vendor":${str(b.vendor)}`,
    `"created":${str(b.created)}`,
    `"imports":${JSON.stringify(b.imports)}`,
    `"exports":${JSON.stringify(b.exports)}`,
    `"diagnostics":${JSON.stringify(b.diagnostics.map(({ offset, section, message }) => ({ offset, section, message })))}`,
    `"legacy":${
      b.legacy === null
        ? 'null'
        : `{"author":${str(b.legacy.author)},"registry-metadata":${JSON.stringify(b.legacy.registryMetadata)}}`
    }`,
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
