import type { ByteReading } from '../binary/byte-source.js';
import { walkBinaries } from '../binary/walk.js';
import { type ShowNode, showNodeOf } from '../format/show-model.js';
import type { Diagnostic } from '../metadata.js';
import { runOnBytes } from '../binary/byte-source.js';
import { runOnFileSync } from '../node/read-file.js';
import { type Frame, MetadataReader, type ReadOptions } from '../read.js';
import { readStdin, stdinIsFile, STDIN_NAME } from './input.js';
import { UsageError } from './command.js';

/** What `show` prints of a file: the cells of its tables, and the diagnostics in file order. */
export interface ShowTree {
  root: ShowNode;
  diagnostics: Diagnostic[];
}

interface ShowFrame extends Frame {
  /** The nodes of the children left so far. */
  nodes: ShowNode[];
}

/**
 * The metadata reader, keeping of each binary only what the tables print. Each `WasmBinary`
 * is dropped as soon as its binary ends: a component of 10 000 modules holds about a megabyte
 * rather than twelve, and V8 need not grow its young generation to build it.
 */
class ShowTreeReader extends MetadataReader {
  readonly diagnostics: Diagnostic[] = [];
  root: ShowNode | undefined;
  private readonly shared = new Map<string, unknown>();

  override enter(...args: Parameters<MetadataReader['enter']>): ShowFrame {
    const frame = super.enter(...args) as ShowFrame;
    frame.nodes = [];
    return frame;
  }

  override leave(frame: ShowFrame, parent: ShowFrame | undefined): void {
    const binary = this.finish(frame);
    const node = showNodeOf(binary, frame.nodes, this.shared);
    this.diagnostics.push(...binary.diagnostics);
    if (parent === undefined) this.root = node;
    else parent.nodes.push(node);
  }
}

function* readShowTreeFrom(length: number, options: ReadOptions): ByteReading<ShowTree> {
  const reader = new ShowTreeReader(options);
  yield* walkBinaries(length, reader);
  // Each binary's diagnostics were added when it ended; sorted, they are in file order again.
  return { root: reader.root as ShowNode, diagnostics: reader.diagnostics.sort((a, b) => a.offset - b.offset) };
}

/**
 * Reads what `show` prints of the file named on the command line, or of standard input for
 * `-`, as `readInputMetadata` reads the whole tree.
 */
export async function readShowTree(file: string, options: ReadOptions): Promise<ShowTree> {
  const reading = (size: number): ByteReading<ShowTree> => readShowTreeFrom(size, options);
  if (file !== '-') return runOnFileSync(file, reading);
  if (process.stdin.isTTY) throw new UsageError('no input: give a file, or pipe one to standard input');
  if (stdinIsFile()) return runOnFileSync({ fd: 0, name: STDIN_NAME }, reading);
  const bytes = await readStdin();
  return runOnBytes(reading(bytes.length), bytes);
}
