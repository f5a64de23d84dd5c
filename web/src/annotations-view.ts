import { FIELDS, type WasmBinary, annotationsFor, WasmMetaError } from '../../src/index.js';
import { el } from './dom.js';

/** The annotations `wasm-meta push` would put on the image manifest for `binary`. */
export function renderAnnotations(container: HTMLElement, binary: WasmBinary): void {
  let result;
  try {
    result = annotationsFor(binary);
  } catch (error) {
    if (!(error instanceof WasmMetaError)) throw error;
    container.replaceChildren(el('p', { className: 'error' }, error.message));
    return;
  }
  const rows = Object.entries(result.imageManifest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const warnings =
    result.warnings.length === 0
      ? []
      : [el('ul', { className: 'warnings' }, ...result.warnings.map((w) => el('li', {}, w)))];
  if (rows.length === 0) {
    container.replaceChildren(
      el(
        'p',
        { id: 'annotations-empty' },
        `None: the outermost binary has none of the fields push turns into annotations (${FIELDS.map((f) => f.label.toLowerCase()).join(', ')}). Fill some in the form to see them here.`,
      ),
      ...warnings,
    );
    return;
  }
  container.replaceChildren(
    el(
      'table',
      { id: 'annotations-table' },
      el('caption', { className: 'visually-hidden' }, 'Image manifest annotations'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Annotation'), el('th', { scope: 'col' }, 'Value'))),
      el(
        'tbody',
        {},
        ...rows.map(([key, value]) => el('tr', {}, el('td', {}, el('code', {}, key)), el('td', {}, value))),
      ),
    ),
    ...warnings,
  );
}
