import type { ByteReading, ByteRequest } from './byte-source.js';

/**
 * Drives a sans-I/O reading from bytes that arrive once, in order (a file being hashed, a
 * download).
 *
 * Drives a sans-I/O reading (such as `readMetadataFrom`) from bytes that arrive once, in order,
 * in chunks of any size: a file read from start to end while it is hashed, or a download. It
 * is the streaming sibling of `runOnBytes` and `runAsync`, for when the bytes cannot be asked
 * for by position.
 *
 * Only bytes that a pending request spans are kept: a reading asks for bytes at offsets that
 * never decrease, so whatever lies before its pending request can be dropped, and whatever lies
 * between requests is never held. Memory stays within the largest request plus one chunk,
 * whatever the size of the input. Requests may span chunk boundaries. Kept bytes are copied,
 * so the caller may reuse its chunk buffer.
 */
export class SequentialReading<T> {
  private step: IteratorResult<ByteRequest, T>;
  private failure: { error: unknown } | undefined;
  /** Offset of the next byte to arrive. */
  private position = 0;
  /** Kept bytes: contiguous, from `keptStart` to `position`. */
  private kept: Uint8Array[] = [];
  private keptStart = 0;
  private keptLength = 0;
  private lastOffset = 0;
  private peak = 0;

  constructor(private readonly reading: ByteReading<T>) {
    this.step = this.advance(() => reading.next());
    this.answerWhatIsHere();
  }

  /** Whether the reading has its result, so that further bytes are not needed. */
  get done(): boolean {
    return this.step.done === true;
  }

  /** The most bytes kept at once so far (the memory bound, for tests and benchmarks). */
  get peakKept(): number {
    return this.peak;
  }

  /** Feeds the next bytes of the input. Throws what the reading throws (a malformed binary). */
  push(chunk: Uint8Array): void {
    this.rethrow();
    const start = this.position;
    this.position += chunk.length;
    if (this.step.done || chunk.length === 0) return;
    const wanted = this.step.value.offset;
    if (this.position <= wanted) return;
    const from = Math.max(0, wanted - start);
    if (this.keptLength === 0) this.keptStart = start + from;
    this.kept.push(chunk.slice(from));
    this.keptLength += chunk.length - from;
    this.peak = Math.max(this.peak, this.keptLength);
    this.answerWhatIsHere();
  }

  /**
   * Ends the input and returns the reading's result. Requests that run past the end get the
   * bytes there are, as `runOnBytes` answers them, so that a truncated input fails the same way.
   */
  finish(): T {
    this.rethrow();
    while (!this.step.done) {
      const { offset, length } = this.step.value;
      const available = Math.max(0, Math.min(length, this.position - offset));
      const answer = this.take(offset, available);
      this.step = this.advance(() => this.reading.next(answer));
    }
    this.release();
    return this.step.value;
  }

  /** Answers every pending request that the kept bytes cover; drops bytes no request can want. */
  private answerWhatIsHere(): void {
    while (!this.step.done) {
      const { offset, length } = this.step.value;
      if (offset < this.lastOffset) {
        throw new Error(`a sequential reading asked for offset ${offset} after ${this.lastOffset}`);
      }
      this.lastOffset = offset;
      this.dropBefore(offset);
      if (offset + length > this.position) return;
      const answer = this.take(offset, length);
      this.step = this.advance(() => this.reading.next(answer));
    }
    this.release();
  }

  /** The kept bytes at `offset..offset+length`: a view when one piece holds them, else a copy. */
  private take(offset: number, length: number): Uint8Array {
    if (length === 0 || offset < this.keptStart) return new Uint8Array(0);
    let pieceStart = this.keptStart;
    let index = 0;
    while (index < this.kept.length && pieceStart + (this.kept[index] as Uint8Array).length <= offset) {
      pieceStart += (this.kept[index] as Uint8Array).length;
      index++;
    }
    const first = this.kept[index];
    if (first === undefined) return new Uint8Array(0);
    const within = offset - pieceStart;
    if (within + length <= first.length) return first.subarray(within, within + length);
    const out = new Uint8Array(length);
    let filled = 0;
    for (let i = index; filled < length && i < this.kept.length; i++) {
      const piece = this.kept[i] as Uint8Array;
      const part = piece.subarray(
        i === index ? within : 0,
        Math.min(piece.length, (i === index ? within : 0) + length - filled),
      );
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  /** Forgets kept bytes before `offset`. */
  private dropBefore(offset: number): void {
    if (offset >= this.position) {
      this.release();
      return;
    }
    while (this.kept.length > 0 && this.keptStart + (this.kept[0] as Uint8Array).length <= offset) {
      const piece = this.kept.shift() as Uint8Array;
      this.keptStart += piece.length;
      this.keptLength -= piece.length;
    }
    if (this.kept.length > 0 && this.keptStart < offset) {
      this.kept[0] = (this.kept[0] as Uint8Array).subarray(offset - this.keptStart);
      this.keptLength -= offset - this.keptStart;
      this.keptStart = offset;
    }
  }

  private release(): void {
    this.kept = [];
    this.keptLength = 0;
    this.keptStart = this.position;
  }

  /** Steps the reading, remembering a failure so that later calls throw it again. */
  private advance(next: () => IteratorResult<ByteRequest, T>): IteratorResult<ByteRequest, T> {
    try {
      return next();
    } catch (error) {
      this.failure = { error };
      this.release();
      throw error;
    }
  }

  private rethrow(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
