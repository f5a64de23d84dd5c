// Seeded mutations of WebAssembly binaries, aimed at the places readers trip over: section
// framing, size fields, nesting, counts, UTF-8, and the values of the metadata sections.
import { deflateSync } from 'node:zlib';
import {
  COMPONENT_HEADER,
  component,
  concat,
  custom,
  leb,
  nestedComponent,
  nestedModule,
  producersData,
  section,
  splice,
  str,
  walkSections,
} from '../scripts/wasm-builder.mjs';

/** A small fast PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export function prng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const METADATA_SECTIONS = [
  'authors',
  'description',
  'licenses',
  'source',
  'homepage',
  'revision',
  'version',
  'documentation',
  'vendor',
  'created',
  'author',
  'registry-metadata',
  'producers',
  'name',
  'component-name',
  '.dep-v0',
];

/** Size-field values that break readers: zero, off by one, 4 GiB and beyond, overlong. */
function hostileSizes(rng, size, fileLength) {
  return rng.pick([
    leb(0),
    leb(size + 1),
    leb(Math.max(0, size - 1)),
    [0xff, 0xff, 0xff, 0xff, 0x0f], // 2^32 - 1
    [0x80, 0x80, 0x80, 0x80, 0x10], // 2^32
    [0x80, 0x80, 0x80, 0x80, 0x80, 0x00], // six bytes
    leb(size, 5), // padded, same value: valid
    leb(fileLength * 2),
  ]);
}

/** Hostile data for a metadata section of `name`. */
function hostileData(rng, name) {
  switch (rng.int(12)) {
    case 0:
      return [0xff, 0xfe, 0x41]; // not UTF-8
    case 1:
      return [0x41, 0xed, 0xa0, 0x80]; // an encoded surrogate
    case 2:
      return [0xc3]; // truncated sequence
    case 3:
      return [...new TextEncoder().encode('x'.repeat(rng.int(3) === 0 ? 1024 * 1024 + 1 : 4096))];
    case 4:
      return [...new TextEncoder().encode('['.repeat(100_000))]; // deep JSON
    case 5:
      return [...new TextEncoder().encode(`{"authors":${'['.repeat(5000)}1${']'.repeat(5000)}}`)];
    case 6:
      return [...deflateSync(new Uint8Array(rng.pick([3, 8]) * 1024 * 1024))]; // zip bomb
    case 7:
      return producersData([['language', [['Rust', '1']]]]).concat([0x01]); // trailing byte
    case 8:
      return [...leb(100_000), 0x00]; // a count far beyond the data
    case 9:
      return [...new TextEncoder().encode(`MIT OR ${'(Apache-2.0 AND '.repeat(2000)}`)];
    case 10:
      return [...new TextEncoder().encode(name === 'created' ? '2026-02-30T25:61:61Z' : 'http://[::1')];
    default:
      return [0x00, ...leb(0xffffffff)]; // name subsection 0 claiming 4 GiB
  }
}

/** The mutations: each takes (rng, bytes, context) and returns new bytes. */
export const MUTATIONS = {
  flipBits(rng, bytes, { sections }) {
    const out = bytes.slice();
    for (let n = 1 + rng.int(8); n > 0; n--) {
      const near = sections.length > 0 && rng.chance(0.5) ? rng.pick(sections).start + rng.int(8) : rng.int(out.length);
      const at = Math.min(out.length - 1, near);
      out[at] ^= 1 << rng.int(8);
    }
    return out;
  },
  setInteresting(rng, bytes, { sections }) {
    const out = bytes.slice();
    const at = sections.length > 0 && rng.chance(0.7) ? rng.pick(sections).start + rng.int(6) : rng.int(out.length);
    out[Math.min(out.length - 1, at)] = rng.pick([0x00, 0x01, 0x04, 0x0d, 0x7f, 0x80, 0xff]);
    return out;
  },
  truncate(rng, bytes, { sections }) {
    const boundary = sections.length > 0 && rng.chance(0.5) ? rng.pick(sections).end : rng.int(bytes.length);
    return bytes.slice(0, Math.max(0, Math.min(bytes.length - 1, boundary + rng.int(5) - 2)));
  },
  rewriteSize(rng, bytes, { sections }) {
    if (sections.length === 0) return MUTATIONS.flipBits(rng, bytes, { sections });
    const s = rng.pick(sections);
    const size = hostileSizes(rng, s.end - s.bodyStart, bytes.length);
    return concat(bytes.subarray(0, s.sizeStart), size, bytes.subarray(s.bodyStart));
  },
  duplicateSection(rng, bytes, { sections }) {
    if (sections.length === 0) return bytes;
    const s = rng.pick(sections);
    const copy = bytes.slice(s.start, s.end);
    const at = rng.chance(0.5) ? s.end : (s.parents.at(-1)?.end ?? bytes.length);
    return splice(bytes, at, at, copy, s.parents);
  },
  swapSections(rng, bytes, { sections }) {
    if (sections.length < 2) return bytes;
    const a = rng.pick(sections);
    const siblings = sections.filter((s) => s.parents.at(-1) === a.parents.at(-1) && s !== a);
    if (siblings.length === 0) return bytes;
    const b = rng.pick(siblings);
    const [first, second] = a.start < b.start ? [a, b] : [b, a];
    if (second.start < first.end) return bytes;
    return concat(
      bytes.subarray(0, first.start),
      bytes.subarray(second.start, second.end),
      bytes.subarray(first.end, second.start),
      bytes.subarray(first.start, first.end),
      bytes.subarray(second.end),
    );
  },
  deepNesting(rng, bytes) {
    // Around the limit of 100: sometimes just under, sometimes over.
    let out = bytes[4] === 0x0d ? bytes : Uint8Array.from(component(nestedModule([...bytes])));
    for (let depth = 95 + rng.int(10); depth > 0; depth--) out = concat(COMPONENT_HEADER, nestedComponentOf(out));
    return out;
  },
  manySections(rng, bytes) {
    const count = rng.pick([1000, 50_000, 200_000]);
    const empty = custom('', []);
    const run = new Uint8Array(empty.length * count);
    for (let i = 0; i < count; i++) run.set(empty, i * empty.length);
    return concat(bytes, run);
  },
  invalidUtf8Name(rng, bytes, { sections }) {
    const named = sections.filter((s) => s.nameEnd > s.nameStart);
    if (named.length === 0) return bytes;
    const s = rng.pick(named);
    const out = bytes.slice();
    out[s.nameStart + rng.int(s.nameEnd - s.nameStart)] = rng.pick([0xff, 0xc0, 0x80, 0xed]);
    return out;
  },
  hostileMetadata(rng, bytes, { sections }) {
    const name = rng.pick(METADATA_SECTIONS);
    const added = Uint8Array.from(custom(name, hostileData(rng, name)));
    const binaries = sections.filter((s) => s.id === 1 || s.id === 4);
    if (binaries.length > 0 && rng.chance(0.4)) {
      const parent = rng.pick(binaries);
      return splice(bytes, parent.end, parent.end, added, [...parent.parents, parent]);
    }
    return concat(bytes, added);
  },
  randomBytes(rng, bytes) {
    const at = rng.int(bytes.length + 1);
    const inserted = Uint8Array.from({ length: 1 + rng.int(16) }, () => rng.int(256));
    return concat(bytes.subarray(0, at), inserted, bytes.subarray(at));
  },
};

/** A nested-component section holding `bytes`. */
function nestedComponentOf(bytes) {
  return concat([4, ...leb(bytes.length)], bytes);
}

/**
 * Applies 1 to 3 mutations to `base`; returns the mutated bytes and the names of the
 * mutations, so that a failure can be described and reproduced.
 */
export function mutate(rng, base) {
  let bytes = base;
  const applied = [];
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const name = rng.pick(Object.keys(MUTATIONS));
    const sections = walkSections(bytes);
    bytes = MUTATIONS[name](rng, bytes, { sections });
    applied.push(name);
    // Keep inputs bounded: the large mutations are for small bases.
    if (bytes.length > 64 * 1024 * 1024) break;
  }
  return { bytes, applied };
}

/** Generated seed binaries: every kind of metadata section, nesting, interfaces. */
export function generatedSeeds() {
  const inner = [
    section(2, [...leb(1), ...str('env'), ...str('memory'), 0x02, 0x00, ...leb(1)]),
    section(7, [...leb(1), ...str('run'), 0x00, ...leb(0)]),
    custom('name', [0x00, ...leb(str('inner').length), ...str('inner')]),
    custom(
      'producers',
      producersData([
        ['language', [['Rust', '1.88.0']]],
        ['processed-by', [['rustc', '1']]],
      ]),
    ),
    custom('.dep-v0', [...deflateSync('{"packages":[{"name":"adler","version":"0.2.3","source":"registry"}]}')]),
  ];
  const module = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...inner.flat()];
  const full = component(
    custom('component-name', [0x00, ...leb(str('sample').length), ...str('sample')]),
    section(10, [...leb(1), 0x00, ...str('wasi:cli/environment@0.2.0'), 0x05, ...leb(0)]),
    nestedModule(module),
    nestedComponent(
      component(nestedModule([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...custom('author', 'legacy')])),
    ),
    custom('producers', producersData([['processed-by', [['wit-component', '0.259.0']]]])),
    custom('authors', 'Chashu Cat'),
    custom('description', 'A sample'),
    custom('licenses', 'Apache-2.0 WITH LLVM-exception'),
    custom('source', 'https://github.com/acme/sample'),
    custom('homepage', 'https://acme.example'),
    custom('revision', 'abc123'),
    custom('version', '1.2.3'),
    custom('created', '2026-01-01T00:00:00Z'),
    custom(
      'registry-metadata',
      '{"description":"old","authors":["A"],"license":"MIT","links":[{"ty":"Homepage","value":"https://a.example"}]}',
    ),
    section(11, [...leb(1), 0x00, ...str('run'), 0x01, ...leb(0), 0x00]),
  );
  return [
    { name: 'generated component', bytes: Uint8Array.from(full) },
    { name: 'generated module', bytes: Uint8Array.from(module) },
    { name: 'empty component', bytes: Uint8Array.from(component()) },
  ];
}
