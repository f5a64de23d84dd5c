import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WasmMetaError } from '../../src/errors.js';
import { LIMITS } from '../../src/limits.js';
import { decodeDependencies, serializeDependencies } from '../../src/sections/dependencies.js';
import { adler32, inflateZlib as inflateWithFflate } from '../../src/sections/inflate-browser.js';
import { inflateZlib as inflateWithNodeZlib } from '../../src/sections/inflate-node.js';

/** The zlib form wasm-tools' own tests use: one stored deflate block (spec §2.5). */
function storedZlib(text: string): Uint8Array {
  const data = Buffer.from(text);
  const checksum = adler32(data);
  const len = data.length;
  return Uint8Array.from([
    0x78,
    0x01,
    0x01,
    len & 0xff,
    len >> 8,
    ~len & 0xff,
    (~len >> 8) & 0xff,
    ...data,
    checksum >>> 24,
    (checksum >>> 16) & 0xff,
    (checksum >>> 8) & 0xff,
    checksum & 0xff,
  ]);
}

function flipLastBit(data: Uint8Array): Uint8Array {
  data[data.length - 1] = (data[data.length - 1] as number) ^ 1;
  return data;
}

const ADLER = '{"packages":[{"name":"adler","version":"0.2.3","source":"registry"}]}';

describe('decodeDependencies', () => {
  it('reads the stored-block form of the spec example (80 bytes for 69 bytes of JSON)', () => {
    const data = storedZlib(ADLER);
    expect(ADLER.length).toBe(69);
    expect(data.length).toBe(80);
    const list = decodeDependencies(data, 0);
    expect(list.packages).toEqual([
      { name: 'adler', version: '0.2.3', source: 'registry', kind: 'runtime', dependencies: [], root: false },
    ]);
    expect(serializeDependencies(list)).toBe(ADLER);
  });

  it('reads zlib level 1 and re-serializes with defaults left out and keys in schema order', () => {
    const json = JSON.stringify({
      format: 1,
      packages: [
        { root: true, dependencies: [1], kind: 'runtime', source: 'local', version: '0.1.0', name: 'app' },
        { name: 'syn', version: '2.0.118+spec-1.1.0', source: 'crates.io', kind: 'build', root: false },
      ],
    });
    const list = decodeDependencies(deflateSync(json, { level: 1 }), 0);
    expect(serializeDependencies(list)).toBe(
      '{"packages":[{"name":"app","version":"0.1.0","source":"local","dependencies":[1],"root":true},' +
        '{"name":"syn","version":"2.0.118+spec-1.1.0","source":"crates.io","kind":"build"}],"format":1}',
    );
  });

  it('stops inflating a zip bomb at the 2 MiB cap', () => {
    const bomb = deflateSync(Buffer.alloc(LIMITS.maxDependencyBytes + 1, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(8 * 1024);
    expect(() => decodeDependencies(bomb, 0)).toThrow(/byte limit of 2097152/);
    // Exactly at the cap is allowed (it then fails as JSON, not on size).
    const atCap = deflateSync(Buffer.alloc(LIMITS.maxDependencyBytes, 0x20));
    expect(() => decodeDependencies(atCap, 0)).toThrow(/not JSON/);
  });

  it.each([
    ['a bad checksum', flipLastBit(storedZlib(ADLER)), /checksum mismatch/],
    ['a bad header', Uint8Array.from([0x78, 0x00, 1, 2, 3, 4, 5, 6]), /invalid zlib header/],
    ['a truncated stream', deflateSync(ADLER).subarray(0, 20), /corrupt zlib stream|checksum/],
    ['no stream at all', Uint8Array.from([0x78, 0x01]), /truncated/],
    ['JSON that is not an object', deflateSync('[1]'), /dependency list is not a JSON object/],
    ['a missing version', deflateSync('{"packages":[{"name":"a","source":"registry"}]}'), /version must be a semver/],
    ['a v-prefixed version', deflateSync('{"packages":[{"name":"a","version":"v1.0.0","source":"x"}]}'), /semver/],
    ['an unknown kind', deflateSync('{"packages":[{"name":"a","version":"1.0.0","source":"x","kind":"dev"}]}'), /kind/],
    [
      'an index out of range',
      deflateSync('{"packages":[{"name":"a","version":"1.0.0","source":"x","dependencies":[1]}]}'),
      /indexes/,
    ],
    [
      'two roots',
      deflateSync(
        '{"packages":[{"name":"a","version":"1.0.0","source":"x","root":true},{"name":"b","version":"1.0.0","source":"x","root":true}]}',
      ),
      /more than one/,
    ],
    [
      'a cycle',
      deflateSync(
        '{"packages":[{"name":"a","version":"1.0.0","source":"x","dependencies":[1]},{"name":"b","version":"1.0.0","source":"x","dependencies":[0]}]}',
      ),
      /cycle/,
    ],
    ['a negative format', deflateSync('{"format":-1,"packages":[]}'), /format/],
  ])('rejects %s', (_, data, message) => {
    try {
      decodeDependencies(data, 123);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WasmMetaError);
      expect((error as WasmMetaError).offset).toBe(123);
      expect((error as WasmMetaError).reason).toMatch(message);
    }
  });
});

describe('adler32', () => {
  it('matches the known value for "Wikipedia"', () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
  });

  it('stays correct past the 5552-byte block size', () => {
    const data = Buffer.alloc(100_000, 0xff);
    // zlib computes the same checksum into the last four bytes of its stream.
    const stream = deflateSync(data);
    expect(adler32(data)).toBe(stream.readUInt32BE(stream.length - 4));
  });
});

describe.each([
  ['fflate (browsers)', inflateWithFflate],
  ['node:zlib (Node)', inflateWithNodeZlib],
])('inflateZlib with %s', (_, inflate) => {
  const json = Buffer.from('{"packages":[]}');

  it('inflates stored and compressed streams', () => {
    expect(Buffer.from(inflate(deflateSync(json), 100)).equals(json)).toBe(true);
    expect(Buffer.from(inflate(storedZlib(json.toString()), 100)).equals(json)).toBe(true);
  });

  it('stops at the cap, exactly', () => {
    expect(inflate(deflateSync(Buffer.alloc(1000)), 1000)).toHaveLength(1000);
    expect(() => inflate(deflateSync(Buffer.alloc(1001)), 1000)).toThrow(/exceeds the byte limit of 1000/);
    expect(() => inflate(deflateSync(Buffer.alloc(64 * 1024 * 1024)), 2 * 1024 * 1024)).toThrow(/byte limit/);
  });

  it('rejects bad checksums, headers, dictionaries and truncated streams', () => {
    expect(() => inflate(flipLastBit(storedZlib('{}')), 100)).toThrow(/checksum mismatch/);
    expect(() => inflate(Uint8Array.from([0x78, 0x00, 1, 2, 3, 4, 5]), 100)).toThrow(/invalid zlib header/);
    // 0x78 0x20: a valid header check, with the preset-dictionary flag set.
    expect(() => inflate(Uint8Array.from([0x78, 0x20, 1, 2, 3, 4, 5, 6]), 100)).toThrow(/preset dictionary/);
    expect(() => inflate(deflateSync(json).subarray(0, 8), 100)).toThrow();
  });
});
