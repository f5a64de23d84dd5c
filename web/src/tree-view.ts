import type { WasmBinary } from '../../src/index.js';
import { formatSize } from '../../src/format/size.js';
import { el } from './dom.js';

/** A binary in the tree, with its path of child indexes from the outermost one. */
export interface TreeNode {
  binary: WasmBinary;
  path: number[];
  depth: number;
}

/** The binaries of `root` in pre-order, as `show` lists them. */
export function flatten(root: WasmBinary): TreeNode[] {
  const nodes: TreeNode[] = [];
  const visit = (binary: WasmBinary, path: number[]): void => {
    nodes.push({ binary, path, depth: path.length });
    binary.children.forEach((child, i) => visit(child, [...path, i]));
  };
  visit(root, []);
  return nodes;
}

/** What a binary is called in the tree. */
export function labelOf(binary: WasmBinary): string {
  return binary.name ?? `unnamed ${binary.kind}`;
}

/**
 * Renders the tree into `list` (a `role="tree"` list): one item per binary with a bar drawn to
 * scale. Arrow keys, Home and End move the selection (a roving tabindex: one tab stop).
 */
export function renderTree(
  list: HTMLElement,
  nodes: TreeNode[],
  selected: number,
  onSelect: (index: number) => void,
): void {
  const total = (nodes[0]?.binary.range.end ?? 0) - (nodes[0]?.binary.range.start ?? 0) || 1;
  list.replaceChildren(
    ...nodes.map((node, index) => {
      const { binary } = node;
      const size = binary.range.end - binary.range.start;
      const share = (size / total) * 100;
      const item = el(
        'li',
        {
          role: 'treeitem',
          id: `node-${index}`,
          'aria-level': String(node.depth + 1),
          'aria-selected': String(index === selected),
          tabindex: index === selected ? '0' : '-1',
          'data-path': node.path.join('.'),
          className: 'tree-item',
        },
        el(
          'span',
          { className: 'tree-row', style: `padding-inline-start: ${node.depth * 1.1}rem` },
          el('span', { className: `kind kind-${binary.kind}` }, binary.kind),
          el('span', { className: 'tree-name' }, labelOf(binary)),
          el('span', { className: 'tree-size' }, `${formatSize(size)} · ${share < 1 ? '<1' : share.toFixed(0)}%`),
        ),
        el(
          'span',
          { className: 'bar', 'aria-hidden': 'true' },
          el('span', { className: 'bar-fill', style: `inline-size: ${Math.max(share, 0.5).toFixed(2)}%` }),
        ),
      );
      item.addEventListener('click', () => onSelect(index));
      return item;
    }),
  );
  list.onkeydown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: selected + 1,
      ArrowUp: selected - 1,
      Home: 0,
      End: nodes.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    onSelect(Math.min(nodes.length - 1, Math.max(0, target)));
  };
}
