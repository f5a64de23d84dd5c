import { type ByteReading, runOnBytes } from '../binary/byte-source.js';
import type { Section } from '../binary/sections.js';
import { type WalkVisitor, type WalkedBinary, walkBinaries } from '../binary/walk.js';
import type { WasmBinary } from '../metadata.js';
import { type Frame, MetadataReader, type ReadOptions } from '../read.js';

/** A binary on the way from the outermost one to the one an edit targets. */
export interface LocatedBinary {
  binary: WalkedBinary;
  /** The sections of the target binary, in order; `undefined` for the others. */
  sections: Section[] | undefined;
  /** The binary's metadata, when the walk also read the metadata. */
  metadata: WasmBinary | undefined;
}

/**
 * Walks a whole binary in memory once, checking its framing, and returns the binaries from
 * the outermost one to the one at `path` (child indexes in `show` order), with the sections
 * of that one. The result is shorter than `path.length + 1` when the path leads to no binary.
 * With `read`, the same walk also reads the metadata of every binary (`strict` then rejects
 * any invalid metadata section in the file).
 */
export function locate(input: Uint8Array, path: readonly number[] = [], read?: ReadOptions): LocatedBinary[] {
  return runOnBytes(locating(input.length, path, read), input);
}

/**
 * {@link locate} as a sans-I/O reading of a binary of `length` bytes, so that a file can be
 * walked by position: it asks for exactly the bytes that `locate` reads.
 */
export function* locating(
  length: number,
  path: readonly number[] = [],
  read?: ReadOptions,
): ByteReading<LocatedBinary[]> {
  const locator = new Locator(path, read === undefined ? undefined : new MetadataReader(read));
  yield* walkBinaries(length, locator);
  return locator.chain;
}

interface Node {
  located: LocatedBinary | undefined;
  /** Nested binaries seen so far: the index of the next one. */
  children: number;
  frame: Frame | undefined;
}

/** The visitor that follows `path` (and, given a metadata reader, reads along). */
class Locator implements WalkVisitor<Node> {
  readonly chain: LocatedBinary[] = [];

  constructor(
    private readonly path: readonly number[],
    private readonly reader: MetadataReader | undefined,
  ) {}

  enter(binary: WalkedBinary, parent: Node | undefined): Node {
    const frame = this.reader?.enter(binary);
    const index = parent === undefined ? 0 : parent.children++;
    // On the path: the outermost binary, or the child that the path names at its parent's depth.
    const onPath =
      parent === undefined || (parent.located !== undefined && this.path[parent.located.binary.depth] === index);
    let located: LocatedBinary | undefined;
    if (onPath) {
      located = { binary, sections: binary.depth === this.path.length ? [] : undefined, metadata: frame?.binary };
      this.chain.push(located);
    }
    return { located, children: 0, frame };
  }

  section(node: Node, section: Section) {
    node.located?.sections?.push(section);
    return node.frame === undefined ? undefined : this.reader?.section(node.frame, section);
  }

  leave(node: Node, parent: Node | undefined): void {
    if (node.frame !== undefined) this.reader?.leave(node.frame, parent?.frame);
  }
}
