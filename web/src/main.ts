import {
  FIELDS,
  type WasmBinary,
  applyEdit,
  WasmMetaError,
  joinChunks,
  mapPackageJson,
  readMetadata,
} from '../../src/index.js';
import { renderAnnotations } from './annotations-view.js';
import { renderDetails } from './details-view.js';
import { byId } from './dom.js';
import { EditForm } from './edit-form.js';
import { EXAMPLE } from './example.js';
import { type TreeNode, flatten, labelOf, renderTree } from './tree-view.js';

/** The open file. */
interface OpenFile {
  name: string;
  bytes: Uint8Array;
  root: WasmBinary;
  nodes: TreeNode[];
  selected: number;
}

let file: OpenFile | undefined;
const form = new EditForm(byId('edit-fields'), () => refreshAnnotations());

function showError(message: string | undefined): void {
  const box = byId('error');
  box.textContent = message ?? '';
  box.hidden = message === undefined;
}

/** Reads `bytes` and shows them; a file that is not WebAssembly gets a clear error, with the offset. */
function open(name: string, bytes: Uint8Array): void {
  let root: WasmBinary;
  try {
    root = readMetadata(bytes);
  } catch (error) {
    if (!(error instanceof WasmMetaError)) throw error;
    showError(`${name}: ${error.message}`);
    return;
  }
  showError(undefined);
  file = { name, bytes, root, nodes: flatten(root), selected: 0 };
  byId('file-status').textContent =
    `${name}: ${bytes.length.toLocaleString('en')} bytes, ${file.nodes.length} module${file.nodes.length === 1 ? '' : 's'} and components`;
  byId('workspace').hidden = false;
  form.load(root);
  select(0, false);
  refreshAnnotations();
}

function select(index: number, focus = true): void {
  if (file === undefined) return;
  file.selected = index;
  const tree = byId('tree');
  renderTree(tree, file.nodes, index, (i) => select(i));
  const node = file.nodes[index] as TreeNode;
  const where = node.path.length === 0 ? 'outermost' : `nested at ${node.path.join('.')}`;
  renderDetails(byId('details'), node.binary, `${labelOf(node.binary)} (${where})`);
  if (focus) (tree.querySelector(`#node-${index}`) as HTMLElement | null)?.focus();
}

/**
 * The edited file and whether it differs from the open one (a value typed back as it was, or
 * spelled otherwise but stored the same, changes nothing), or `undefined` when the form has an
 * invalid value.
 */
function edited(): { bytes: Uint8Array; changed: boolean } | undefined {
  if (file === undefined) return undefined;
  const edit = form.edit();
  if (edit === undefined) return undefined;
  const result = applyEdit(file.bytes, edit);
  return result.changed ? { bytes: joinChunks(result.chunks), changed: true } : { bytes: file.bytes, changed: false };
}

/** Redraws what follows the form: the annotations, and the Download button (only for a changed file). */
function refreshAnnotations(): void {
  if (file === undefined) return;
  const result = edited();
  const download = byId<HTMLButtonElement>('download');
  download.disabled = result === undefined || !result.changed;
  byId('download-status').textContent =
    result === undefined
      ? 'Correct the value marked invalid to download the edited file.'
      : result.changed
        ? ''
        : 'Nothing to download yet: change a field first.';
  renderAnnotations(byId('annotations'), result === undefined ? file.root : readMetadata(result.bytes));
}

async function openFile(blob: File): Promise<void> {
  open(blob.name, new Uint8Array(await blob.arrayBuffer()));
}

byId<HTMLInputElement>('file-input').addEventListener('change', (event) => {
  const picked = (event.target as HTMLInputElement).files?.[0];
  if (picked !== undefined) void openFile(picked);
});

byId('example').addEventListener('click', () => {
  void fetch(EXAMPLE.url)
    .then((response) => response.arrayBuffer())
    .then((buffer) => open(EXAMPLE.name, new Uint8Array(buffer)));
});
byId<HTMLAnchorElement>('example-license').href = EXAMPLE.licenseUrl;

// Drop anywhere on the page.
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (event) => {
  event.preventDefault();
  document.body.classList.remove('dragging');
  const dropped = event.dataTransfer?.files[0];
  if (dropped !== undefined) void openFile(dropped);
});

byId('edit-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const result = edited();
  if (file === undefined || result === undefined || !result.changed) return;
  // joinChunks allocates an ordinary ArrayBuffer.
  const url = URL.createObjectURL(new Blob([result.bytes as Uint8Array<ArrayBuffer>], { type: 'application/wasm' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.click();
  // Long enough for a busy browser to start the download; the URL only holds memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
});

byId('reset').addEventListener('click', () => {
  form.reset();
  // What the last prefill filled is no longer in the form.
  byId('prefill-status').textContent = '';
  refreshAnnotations();
});

byId('prefill').addEventListener('click', () => {
  const status = byId('prefill-status');
  const text = byId<HTMLTextAreaElement>('package-json').value;
  try {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`package.json: not valid JSON: ${(error as Error).message}`);
    }
    const { edit, warnings } = mapPackageJson(json);
    const filled: string[] = [];
    for (const { key: field } of FIELDS) {
      const value = edit[field];
      if (typeof value === 'string') {
        form.set(field, value);
        filled.push(field);
      }
    }
    status.textContent = [`Filled ${filled.length === 0 ? 'nothing' : filled.join(', ')}.`, ...warnings].join(' ');
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    status.textContent = error.message;
  }
  refreshAnnotations();
});
