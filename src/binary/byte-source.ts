/**
 * Sans-I/O reading. A reading is a generator that yields the byte ranges it needs and receives
 * the bytes; a driver answers the requests from memory or from a file. The same parsing code
 * thereby reads a Uint8Array with zero copies and a file on disk by position, without loading
 * the whole file.
 */

/** A request for the bytes at file offsets `offset` to `offset + length`, within the input. */
export interface ByteRequest {
  readonly offset: number;
  readonly length: number;
}

/** A computation that asks for bytes as it goes and finally returns a `T`. */
export type ByteReading<T> = Generator<ByteRequest, T, Uint8Array>;

/** Runs `reading` over bytes in memory; every answer is a subarray view, never a copy. */
export function runOnBytes<T>(reading: ByteReading<T>, bytes: Uint8Array): T {
  let step = reading.next();
  while (!step.done) {
    const { offset, length } = step.value;
    step = reading.next(bytes.subarray(offset, offset + length));
  }
  return step.value;
}

/** Runs `reading` with a synchronous byte source, such as positional reads of a file. */
export function runSync<T>(reading: ByteReading<T>, read: (offset: number, length: number) => Uint8Array): T {
  let step = reading.next();
  while (!step.done) {
    step = reading.next(read(step.value.offset, step.value.length));
  }
  return step.value;
}

/** Runs `reading` with an asynchronous byte source. */
export async function runAsync<T>(
  reading: ByteReading<T>,
  read: (offset: number, length: number) => Promise<Uint8Array>,
): Promise<T> {
  let step = reading.next();
  while (!step.done) {
    step = reading.next(await read(step.value.offset, step.value.length));
  }
  return step.value;
}
