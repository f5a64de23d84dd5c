import { TEXT_FIELDS, type WasmBinary } from '../../src/index.js';
import { formatSize } from '../../src/format/size.js';
import { el, linkOrText } from './dom.js';

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The details of one binary: its metadata, producers, interface and diagnostics. */
export function renderDetails(container: HTMLElement, binary: WasmBinary, title: string): void {
  const size = binary.range.end - binary.range.start;
  const rows: Array<[string, Node | string]> = [
    ['Name', binary.name ?? '(none)'],
    ['Kind', binary.kind],
    ['Bytes', `${hex(binary.range.start)}..${hex(binary.range.end)} (${formatSize(size)}, ${size} bytes)`],
  ];
  for (const field of TEXT_FIELDS) {
    const value = binary[field.key];
    if (value !== null) rows.push([field.label, field.value === 'url' ? linkOrText(value) : value]);
  }
  const sections: Node[] = [
    el('h3', {}, title),
    el('dl', { className: 'fields-list' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
  ];

  const producers =
    binary.producers === null ? [] : Array.from(binary.producers, ([field, values]) => ({ field, values }));
  sections.push(el('h4', {}, 'Producers'));
  sections.push(
    producers.length === 0
      ? el('p', { className: 'empty' }, 'No producers section.')
      : table(
          ['Field', 'Name', 'Version'],
          producers.flatMap(({ field, values }) => Array.from(values, ([name, version]) => [field, name, version])),
          'Producers',
        ),
  );

  if (binary.dependencies !== null && binary.dependencies.packages.length > 0) {
    sections.push(el('h4', {}, 'Dependencies (.dep-v0)'));
    sections.push(
      table(
        ['Package', 'Version', 'Source'],
        binary.dependencies.packages.map((p) => [p.name, p.version, p.source]),
        'Dependencies',
      ),
    );
  }

  sections.push(el('h4', {}, `Imports (${binary.imports.length})`));
  sections.push(
    interfaceList(
      binary.imports.map((i) => ('module' in i ? `${i.module}.${i.name}` : i.name)),
      binary.imports.map((i) => i.kind),
    ),
  );
  sections.push(el('h4', {}, `Exports (${binary.exports.length})`));
  sections.push(
    interfaceList(
      binary.exports.map((e) => e.name),
      binary.exports.map((e) => e.kind),
    ),
  );

  sections.push(el('h4', {}, 'Diagnostics'));
  sections.push(
    binary.diagnostics.length === 0
      ? el('p', { className: 'empty' }, 'Every metadata section is valid.')
      : el(
          'ul',
          { className: 'diagnostics' },
          ...binary.diagnostics.map((d) => el('li', {}, `${hex(d.offset)}: ${d.section}: ${d.message}`)),
        ),
  );
  if (binary.legacy !== null) {
    sections.push(el('h4', {}, 'Legacy sections'));
    const legacy: string[] = [];
    if (binary.legacy.author !== null) legacy.push(`author: ${binary.legacy.author}`);
    if (binary.legacy.registryMetadata !== null)
      legacy.push(`registry-metadata: ${JSON.stringify(binary.legacy.registryMetadata)}`);
    sections.push(el('ul', {}, ...legacy.map((l) => el('li', {}, l))));
  }
  container.replaceChildren(...sections);
}

function table(header: string[], rows: string[][], caption: string): HTMLTableElement {
  return el(
    'table',
    {},
    el('caption', { className: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, ...header.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
}

function interfaceList(names: string[], kinds: string[]): Node {
  if (names.length === 0) return el('p', { className: 'empty' }, 'None.');
  return el(
    'ul',
    { className: 'interface' },
    ...names.map((name, i) =>
      el('li', {}, el('code', {}, name), ' ', el('span', { className: 'muted' }, kinds[i] ?? '')),
    ),
  );
}
