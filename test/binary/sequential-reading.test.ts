import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ByteReading } from '../../src/binary/byte-source.js';
import type { WasmBinary } from '../../src/metadata.js';
import { readMetadata, readMetadataFrom } from '../../src/read.js';
import { SequentialReading } from '../../src/binary/sequential-reading.js';
import { SAMPLE, sampleWithBytesChanged } from '../support/sample.js';
import { SHARED_DIR, sharedAvailable } from '../support/shared.js';
import { custom, leb, module, str } from '../support/wasm.js';

/** The outcome of a read: its tree, or the error it threw. */
type Outcome = { tree: WasmBinary } | { error: string };

function outcome(read: () => WasmBinary): Outcome {
  try {
    return { tree: read() };
  } catch (error) {
    return { error: String(error) };
  }
}

/** The reading, with the length of its largest request recorded. */
function* measured<T>(reading: ByteReading<T>, largest: { request: number }): ByteReading<T> {
  let step = reading.next();
  while (!step.done) {
    largest.request = Math.max(largest.request, step.value.length);
    step = reading.next(yield step.value);
  }
  return step.value;
}

/**
 * Reads `bytes` through a SequentialReading, cut into chunks of the given sizes (repeated),
 * and checks the memory bound: never more kept than the largest request plus one chunk.
 */
function readInChunks(bytes: Uint8Array, sizes: readonly number[]): Outcome {
  const largest = { request: 0 };
  let reading: SequentialReading<WasmBinary> | undefined;
  const result = outcome(() => {
    reading = new SequentialReading(measured(readMetadataFrom(bytes.length), largest));
    // One reused buffer, overwritten after each push: the driver must copy what it keeps.
    const scratch = new Uint8Array(Math.max(...sizes));
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const size = Math.min(sizes[i % sizes.length] as number, bytes.length - at);
      scratch.set(bytes.subarray(at, at + size));
      reading.push(scratch.subarray(0, size));
      scratch.fill(0xee);
      at += size;
    }
    return reading.finish();
  });
  expect(reading?.peakKept ?? 0).toBeLessThanOrEqual(largest.request + Math.max(...sizes));
  return result;
}

/** A seeded stream of chunk sizes from 1 to `max`. */
function randomSizes(seed: number, count: number, max: number): number[] {
  return fc.sample(fc.integer({ min: 1, max }), { seed, numRuns: count });
}

describe('SequentialReading', () => {
  it('reads what readMetadata reads, however the bytes are cut (generated binaries, valid or not)', () => {
    const inputs = fc.oneof(
      fc.constant(SAMPLE),
      sampleWithBytesChanged,
      fc.nat({ max: SAMPLE.length }).map((length) => SAMPLE.subarray(0, length)),
    );
    fc.assert(
      fc.property(
        inputs,
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 30 }),
        (bytes, sizes) => {
          expect(readInChunks(bytes, sizes)).toEqual(outcome(() => readMetadata(bytes)));
        },
      ),
      { seed: 11, numRuns: 1500 },
    );
  });

  it.runIf(sharedAvailable('the corpus comparison'))(
    'reads every corpus file as readMetadata does, however it is cut',
    () => {
      const files = readdirSync(join(SHARED_DIR, 'corpus')).filter((name) => name.endsWith('.wasm'));
      expect(files.length).toBeGreaterThan(3);
      for (const [index, name] of files.entries()) {
        const bytes = new Uint8Array(readFileSync(join(SHARED_DIR, 'corpus', name)));
        const expected = outcome(() => readMetadata(bytes));
        expect('tree' in expected, name).toBe(true);
        for (const sizes of [randomSizes(index, 64, 64 * 1024), [1024 * 1024], [bytes.length]]) {
          expect(readInChunks(bytes, sizes), name).toEqual(expected);
        }
      }
    },
  );

  it('keeps no more than a chunk and the pending request, whatever the size of the input', () => {
    // A module with 256 MiB of custom data that no request wants, then a description section.
    const filler = 256 * 1024 * 1024;
    const fillerName = str('filler');
    const head = Uint8Array.from([...module(), 0, ...leb(fillerName.length + filler), ...fillerName]);
    const tail = Uint8Array.from(custom('description', 'after the filler'));
    const chunk = new Uint8Array(64 * 1024);
    const reading = new SequentialReading(readMetadataFrom(head.length + filler + tail.length));
    reading.push(head);
    for (let sent = 0; sent < filler; sent += chunk.length) reading.push(chunk);
    reading.push(tail);
    expect(reading.finish().description).toBe('after the filler');
    expect(reading.peakKept).toBeLessThanOrEqual(chunk.length + tail.length);
  });

  it('answers requests that span many chunks, and stops keeping bytes once the reading is done', () => {
    const bytes = Uint8Array.from(module(custom('description', 'x'.repeat(5000))));
    const reading = new SequentialReading(readMetadataFrom(bytes.length));
    for (let at = 0; at < bytes.length; at += 7) reading.push(bytes.subarray(at, at + 7));
    expect(reading.done).toBe(true);
    expect(reading.finish().description).toBe('x'.repeat(5000));
    expect(reading.peakKept).toBeLessThan(5100);
  });

  it('refuses a reading that goes back to bytes it has passed', () => {
    function* backwards(): ByteReading<number> {
      yield { offset: 10, length: 2 };
      const again = yield { offset: 4, length: 2 };
      return again.length;
    }
    const reading = new SequentialReading(backwards());
    expect(() => reading.push(new Uint8Array(16))).toThrow(/asked for offset 4 after 10/);
  });

  it('throws the reading’s error again on later calls', () => {
    const reading = new SequentialReading(readMetadataFrom(16));
    const notWasm = new TextEncoder().encode('definitely not!!');
    expect(() => reading.push(notWasm)).toThrow(/bad|header|magic/i);
    expect(() => reading.push(notWasm)).toThrow(/bad|header|magic/i);
    expect(() => reading.finish()).toThrow(/bad|header|magic/i);
  });
});
