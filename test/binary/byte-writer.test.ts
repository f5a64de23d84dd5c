import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/binary/byte-writer.js';
import { joinChunks } from '../../src/binary/chunks.js';
import { leb, str } from '../support/wasm.js';

describe('ByteWriter', () => {
  it('writes bytes, minimal LEB128 and length-prefixed strings', () => {
    const out = new ByteWriter(2).u8(7).varU32(624485).string('é!').utf8('ab').bytes(Uint8Array.of(1, 2));
    expect(out.length).toBe(1 + 3 + 4 + 2 + 2);
    expect(Array.from(out.finish())).toEqual([7, ...leb(624485), ...str('é!'), 0x61, 0x62, 1, 2]);
  });

  it('refuses values that are not u32', () => {
    for (const value of [-1, 2 ** 32, 1.5, Number.NaN])
      expect(() => new ByteWriter().varU32(value)).toThrow(RangeError);
  });

  it('writes the length of a forked part in front of it, nested to any depth', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (parts) => {
        // Each part is wrapped in the parts after it: [len [part0 [len [part1 …]]]].
        const out = new ByteWriter(1);
        for (const part of parts) out.fork().bytes(part);
        for (let i = 0; i < parts.length; i++) out.join();
        let expected: number[] = [];
        for (let i = parts.length - 1; i >= 0; i--) {
          const body = [...(parts[i] as Uint8Array), ...expected];
          expected = [...leb(body.length), ...body];
        }
        expect(Array.from(out.finish())).toEqual(expected);
      }),
    );
  });

  it('keeps views as views, merges views that continue each other, and copies short forked parts', () => {
    const input = new Uint8Array(1000).map((_, i) => i % 251);
    const out = new ByteWriter();
    out.view(input.subarray(0, 100)).view(input.subarray(100, 300)).u8(0xff).view(input.subarray(300, 400));
    out.fork().view(input.subarray(400, 410)).view(input.subarray(500, 900)).join();
    const chunks = out.finishChunks();
    expect(chunks.map((c) => c.length)).toEqual([300, 1, 100, 2 + 10, 400]);
    expect(chunks[0]?.buffer).toBe(input.buffer); // the merged view, not a copy
    expect(chunks[4]?.buffer).toBe(input.buffer);
    expect(Array.from(joinChunks(chunks))).toEqual([
      ...input.subarray(0, 300),
      0xff,
      ...input.subarray(300, 400),
      ...leb(410),
      ...input.subarray(400, 410),
      ...input.subarray(500, 900),
    ]);
    expect(out.length).toBe(joinChunks(chunks).length);
  });

  it('gives an unchanged input back as one view of it', () => {
    const input = new Uint8Array(64);
    const out = new ByteWriter();
    for (let at = 0; at < 64; at += 8) out.view(input.subarray(at, at + 8));
    const chunks = out.finishChunks();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.byteOffset).toBe(0);
    expect(chunks[0]?.length).toBe(64);
  });

  it('refuses unbalanced forks and joins', () => {
    expect(() => new ByteWriter().join()).toThrow(RangeError);
    expect(() => new ByteWriter().fork().finish()).toThrow(RangeError);
  });
});
