import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, describe, expect, it } from 'vitest';
import { joinChunks } from '../../src/binary/chunks.js';
import { applyEdit } from '../../src/edit/rewrite.js';
import { type WasmBinary, binariesOf } from '../../src/metadata.js';
import { buildSbomFromFile } from '../../src/node/sbom.js';
import { nodeSha256 } from '../../src/node/sha256.js';
import { readMetadata } from '../../src/read.js';
import { CYCLONEDX_MEDIA_TYPE, buildSbom } from '../../src/sbom/cyclonedx.js';
import { hashBinaryRanges } from '../../src/sbom/range-hashes.js';
import { VERSION } from '../../src/version.js';
import { HAS_SHARED, SHARED_DIR, sharedAvailable } from '../support/shared.js';
import { component, custom, module, nameSubsection, nested, producersData } from '../support/wasm.js';

/** A CycloneDX component as JSON, with what these tests look at. */
interface CdxComponent {
  type: string;
  name: string;
  version?: string;
  description?: string;
  'bom-ref'?: string;
  purl?: string;
  scope?: string;
  authors?: Array<{ name: string }>;
  supplier?: { name: string };
  licenses?: Array<{ expression?: string }>;
  hashes?: Array<{ alg: string; content: string }>;
  externalReferences?: Array<{ type: string; url: string }>;
  properties?: Array<{ name: string; value: string }>;
  components?: CdxComponent[];
}

interface CdxDocument {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp?: string; tools: { components: CdxComponent[] }; component: CdxComponent };
  components: CdxComponent[];
  dependencies: Array<{ ref: string; dependsOn?: string[] }>;
}

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

/** The document, after checking that it is valid CycloneDX 1.6 JSON (strict: no unknown keys). */
async function validated(bytes: Uint8Array): Promise<CdxDocument> {
  const text = new TextDecoder().decode(bytes);
  expect(await validator.validate(text)).toBeNull();
  return JSON.parse(text) as CdxDocument;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const property = (c: CdxComponent, name: string): string | undefined =>
  c.properties?.find((p) => p.name === name)?.value;

/** The component and every component nested in it, in pre-order. */
const flatten = (c: CdxComponent): CdxComponent[] => [c, ...(c.components ?? []).flatMap(flatten)];

/** The binary that a `--nested` path selects, following child indexes (as docs/cli.md says). */
function atPath(tree: WasmBinary, path: string): WasmBinary {
  return path.split('.').reduce((binary, index) => binary.children[Number(index)] as WasmBinary, tree);
}

async function sbomOfBytes(bytes: Uint8Array, created?: string): Promise<Uint8Array> {
  const tree = readMetadata(bytes);
  const hashes = await hashBinaryRanges(tree, [bytes], nodeSha256);
  return (await buildSbom({ tree, hashes, sha256: nodeSha256, ...(created === undefined ? {} : { created }) })).bytes;
}

const dependencyList = (packages: object[]): Uint8Array => deflateSync(JSON.stringify({ packages }));

/** A component with every metadata field, two Rust modules with `.dep-v0` lists and producers. */
const STAMPED = Uint8Array.from(
  component(
    custom('component-name', nameSubsection('app')),
    nested(
      module(
        custom('name', nameSubsection('core')),
        custom(
          'producers',
          producersData([
            ['language', [['Rust', '']]],
            ['processed-by', [['rustc', '1.88.0']]],
          ]),
        ),
        custom(
          '.dep-v0',
          dependencyList([
            { name: 'app-core', version: '0.1.0', source: 'local', root: true, dependencies: [1, 2] },
            { name: 'serde', version: '1.0.200', source: 'crates.io', dependencies: [2] },
            { name: 'serde_derive', version: '1.0.200+build.1', source: 'crates.io', kind: 'build' },
          ]),
        ),
      ),
    ),
    nested(
      component(
        nested(
          module(
            custom(
              '.dep-v0',
              dependencyList([
                { name: 'helper', version: '2.0.0', source: 'git', dependencies: [1] },
                { name: 'serde', version: '1.0.200', source: 'crates.io' },
              ]),
            ),
          ),
        ),
      ),
    ),
    custom(
      'producers',
      producersData([
        [
          'processed-by',
          [
            ['wit-component', '0.259.0'],
            ['rustc', '1.88.0'],
          ],
        ],
      ]),
    ),
    custom('authors', 'Ada <ada@example.com>, Acme, Inc.'),
    custom('description', 'An app'),
    custom('licenses', 'MIT OR Apache-2.0 WITH LLVM-exception'),
    custom('source', 'https://github.com/acme/app'),
    custom('homepage', 'https://acme.example/app'),
    custom('revision', '0123456789abcdef0123456789abcdef01234567'),
    custom('version', '1.2.0'),
    custom('documentation', 'https://docs.acme.example/app'),
    custom('vendor', 'Acme'),
    custom('created', '2026-01-01T00:00:00Z'),
  ),
);

describe('buildSbom', () => {
  it('is checked by a validator that refuses what CycloneDX 1.6 does not allow', async () => {
    const doc = JSON.parse(new TextDecoder().decode(await sbomOfBytes(STAMPED))) as CdxDocument;
    expect(await validator.validate(JSON.stringify(doc))).toBeNull();
    for (const broken of [
      { ...doc, metadata: { ...doc.metadata, component: { ...doc.metadata.component, authors: 'Ada' } } },
      { ...doc, serialNumber: 'urn:uuid:not-a-uuid' },
      { ...doc, components: [{ ...doc.components[0], scope: 'build' }] },
    ])
      expect(await validator.validate(JSON.stringify(broken))).not.toBeNull();
  });

  it('gives the media type and a valid CycloneDX 1.6 document: the root component with every field', async () => {
    const tree = readMetadata(STAMPED);
    const hashes = await hashBinaryRanges(tree, [STAMPED], nodeSha256);
    const sbom = await buildSbom({ tree, hashes, sha256: nodeSha256 });
    expect(sbom.mediaType).toBe(CYCLONEDX_MEDIA_TYPE);
    expect(CYCLONEDX_MEDIA_TYPE).toBe('application/vnd.cyclonedx+json');
    const doc = await validated(sbom.bytes);
    expect(doc).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: sbom.serialNumber });
    const root = doc.metadata.component;
    expect(root).toMatchObject({
      type: 'application',
      name: 'app',
      version: '1.2.0',
      description: 'An app',
      // The free text as one contact: a comma may be part of a name.
      authors: [{ name: 'Ada <ada@example.com>, Acme, Inc.' }],
      supplier: { name: 'Acme' },
      licenses: [{ expression: 'MIT OR Apache-2.0 WITH LLVM-exception' }],
      hashes: [{ alg: 'SHA-256', content: sha256(STAMPED) }],
    });
    expect(root.externalReferences).toEqual([
      { type: 'vcs', url: 'https://github.com/acme/app' },
      { type: 'website', url: 'https://acme.example/app' },
      { type: 'documentation', url: 'https://docs.acme.example/app' },
    ]);
    expect(root.properties).toEqual([
      { name: 'wasm-meta:revision', value: '0123456789abcdef0123456789abcdef01234567' },
      { name: 'wasm-meta:created', value: '2026-01-01T00:00:00Z' },
      { name: 'wasm-meta:kind', value: 'component' },
    ]);
  });

  it('gives each nested binary its kind, --nested path and the hash of its own bytes', async () => {
    const doc = await validated(await sbomOfBytes(STAMPED));
    const tree = readMetadata(STAMPED);
    const nestedComponents = flatten(doc.metadata.component).slice(1);
    expect(
      nestedComponents.map((c) => [c.name, c.type, property(c, 'wasm-meta:kind'), property(c, 'wasm-meta:nested')]),
    ).toEqual([
      ['core', 'library', 'module', '0'],
      ['unknown(0)', 'library', 'component', '1'],
      ['unknown(1)', 'library', 'module', '1.0'],
    ]);
    for (const c of nestedComponents) {
      const binary = atPath(tree, property(c, 'wasm-meta:nested') as string);
      expect(binary.kind).toBe(property(c, 'wasm-meta:kind'));
      expect(c.hashes).toEqual([
        { alg: 'SHA-256', content: sha256(STAMPED.subarray(binary.range.start, binary.range.end)) },
      ]);
    }
  });

  it('names in the nested property the binary that add --nested edits', async () => {
    const doc = await validated(await sbomOfBytes(STAMPED));
    for (const c of flatten(doc.metadata.component).slice(1)) {
      const nestedPath = property(c, 'wasm-meta:nested') as string;
      const edited = joinChunks(
        applyEdit(STAMPED, { nested: nestedPath.split('.').map(Number), description: 'picked' }).chunks,
      );
      // The edited binary is the one the SBOM lists at that path: same kind, same place in the tree.
      const editedDoc = await validated(await sbomOfBytes(edited));
      const picked = flatten(editedDoc.metadata.component).filter((e) => e.description === 'picked');
      expect(picked.map((e) => [property(e, 'wasm-meta:nested'), property(e, 'wasm-meta:kind')])).toEqual([
        [nestedPath, property(c, 'wasm-meta:kind')],
      ]);
    }
  });

  it('lists the producers of every binary once each as tools, in file order, after wasm-meta', async () => {
    const doc = await validated(await sbomOfBytes(STAMPED));
    expect(
      doc.metadata.tools.components.map((t) => [t.type, t.name, t.version, property(t, 'wasm-meta:producer')]),
    ).toEqual([
      ['application', 'wasm-meta', VERSION, undefined],
      ['application', 'wit-component', '0.259.0', 'processed-by'],
      ['application', 'rustc', '1.88.0', 'processed-by'], // the root's and the module's
      ['application', 'Rust', undefined, 'language'],
    ]);
  });

  it('gives the crates of .dep-v0 sections cargo purls, scopes and the dependency graph', async () => {
    const doc = await validated(await sbomOfBytes(STAMPED));
    expect(
      doc.components.map((c) => [c.name, c.version, c.purl, c.scope, property(c, 'wasm-meta:cargo-source')]),
    ).toEqual([
      ['app-core', '0.1.0', 'pkg:cargo/app-core@0.1.0', 'required', 'local'],
      ['serde', '1.0.200', 'pkg:cargo/serde@1.0.200', 'required', 'crates.io'],
      // purl versions are percent-encoded; build dependencies are not in the binary.
      ['serde_derive', '1.0.200+build.1', 'pkg:cargo/serde_derive@1.0.200%2Bbuild.1', 'excluded', 'crates.io'],
      ['helper', '2.0.0', 'pkg:cargo/helper@2.0.0', 'required', 'git'],
    ]);
    const graph = Object.fromEntries(doc.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
    expect(graph).toEqual({
      root: [],
      'nested:0': ['pkg:cargo/app-core@0.1.0'], // its root crate
      'nested:1': [],
      'nested:1.0': ['pkg:cargo/helper@2.0.0'], // no root mark: the crates nothing depends on
      'pkg:cargo/app-core@0.1.0': ['pkg:cargo/serde@1.0.200', 'pkg:cargo/serde_derive@1.0.200%2Bbuild.1'],
      'pkg:cargo/serde@1.0.200': ['pkg:cargo/serde_derive@1.0.200%2Bbuild.1'],
      'pkg:cargo/serde_derive@1.0.200%2Bbuild.1': [],
      'pkg:cargo/helper@2.0.0': ['pkg:cargo/serde@1.0.200'],
    });
  });

  it('gives one component to each source of a crate of the same name and version', async () => {
    const bytes = Uint8Array.from(
      module(
        custom(
          '.dep-v0',
          dependencyList([
            { name: 'app', version: '0.1.0', source: 'local', root: true, dependencies: [1, 2] },
            { name: 'fork', version: '1.0.0', source: 'crates.io' },
            { name: 'fork', version: '1.0.0', source: 'git' },
          ]),
        ),
      ),
    );
    const doc = await validated(await sbomOfBytes(bytes));
    expect(doc.components.map((c) => [c['bom-ref'], c.purl, property(c, 'wasm-meta:cargo-source')])).toEqual([
      ['pkg:cargo/app@0.1.0', 'pkg:cargo/app@0.1.0', 'local'],
      ['pkg:cargo/fork@1.0.0', 'pkg:cargo/fork@1.0.0', 'crates.io'],
      ['pkg:cargo/fork@1.0.0#2', 'pkg:cargo/fork@1.0.0', 'git'],
    ]);
    expect(doc.dependencies.find((d) => d.ref === 'pkg:cargo/app@0.1.0')?.dependsOn).toEqual([
      'pkg:cargo/fork@1.0.0',
      'pkg:cargo/fork@1.0.0#2',
    ]);
  });

  it('is deterministic: the same bytes twice, no timestamp unless created is given', async () => {
    const first = await sbomOfBytes(STAMPED);
    expect(Buffer.from(await sbomOfBytes(STAMPED)).equals(Buffer.from(first))).toBe(true);
    const doc = await validated(first);
    expect(doc.metadata.timestamp).toBeUndefined();
    expect(new TextDecoder().decode(first)).not.toContain('timestamp');

    const stamped = await validated(await sbomOfBytes(STAMPED, '2026-03-04T05:06:07+01:00'));
    expect(stamped.metadata.timestamp).toBe('2026-03-04T04:06:07Z'); // in UTC
    // A different document, so a different serial number; the same file, so the same hashes.
    expect(stamped.serialNumber).not.toBe(doc.serialNumber);
    expect(stamped.metadata.component.hashes).toEqual(doc.metadata.component.hashes);
  });

  it('derives the serial number, a UUID v8, from the SHA-256 of the document without it', async () => {
    const bytes = await sbomOfBytes(STAMPED);
    const doc = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const serial = doc['serialNumber'] as string;
    expect(serial).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    delete doc['serialNumber'];
    const digest = sha256(Buffer.from(`${JSON.stringify(doc, null, 2)}\n`));
    const hex = serial.slice('urn:uuid:'.length).replace(/-/g, '');
    // Every bit but the four version bits and the two variant bits is the digest's.
    expect(hex.slice(0, 12)).toBe(digest.slice(0, 12));
    expect(hex.slice(13, 16)).toBe(digest.slice(13, 16));
    expect(hex.slice(17, 32)).toBe(digest.slice(17, 32));
    expect(parseInt(hex[16] as string, 16) & 0x3).toBe(parseInt(digest[16] as string, 16) & 0x3);
  });

  it('refuses a created value that is not an RFC 3339 date-time', async () => {
    await expect(sbomOfBytes(STAMPED, 'yesterday')).rejects.toMatchObject({
      name: 'WasmMetaError',
      code: 'invalid-edit',
      message: 'created: "yesterday" is not an RFC 3339 date-time',
    });
  });
});

describe('hashBinaryRanges', () => {
  const tree = readMetadata(STAMPED);
  const expected = (binary: WasmBinary) => sha256(STAMPED.subarray(binary.range.start, binary.range.end));

  it('hashes every range however the bytes are cut into chunks', async () => {
    for (const size of [1, 7, 64, STAMPED.length]) {
      const chunks = async function* () {
        for (let at = 0; at < STAMPED.length; at += size) yield STAMPED.subarray(at, at + size);
      };
      const hashes = await hashBinaryRanges(tree, chunks(), nodeSha256);
      expect(hashes.size).toBe(4);
      for (const [binary, hash] of hashes) expect(hash, `${size}`).toBe(expected(binary));
      expect(hashes.get(tree)).toBe(sha256(STAMPED));
    }
  });

  it('fails, as an I/O error, when the bytes are not the file the tree was read from', async () => {
    await expect(hashBinaryRanges(tree, [STAMPED.subarray(0, 100)], nodeSha256)).rejects.toMatchObject({
      code: 'io',
    });
    await expect(hashBinaryRanges(tree, [STAMPED, Uint8Array.of(0)], nodeSha256)).rejects.toMatchObject({
      code: 'io',
    });
  });
});

describe('buildSbomFromFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-meta-sbom-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives what buildSbom gives for the same bytes in memory', async () => {
    const path = join(dir, 'app.wasm');
    writeFileSync(path, STAMPED);
    const fromFile = await buildSbomFromFile(path, { created: '2026-01-01T00:00:00Z' });
    expect(Buffer.from(fromFile.bytes).equals(Buffer.from(await sbomOfBytes(STAMPED, '2026-01-01T00:00:00Z')))).toBe(
      true,
    );
  });

  it('names the file when it cannot be read', async () => {
    await expect(buildSbomFromFile(join(dir, 'missing.wasm'))).rejects.toMatchObject({
      code: 'io',
      message: `${join(dir, 'missing.wasm')}: no such file`,
    });
  });
});

const corpus = join(SHARED_DIR, 'corpus');
const corpusFiles = HAS_SHARED
  ? readdirSync(corpus)
      .filter((file) => file.endsWith('.wasm'))
      .sort()
  : [];

describe.runIf(sharedAvailable('the SBOMs of the corpus'))('the corpus', () => {
  it('has files', () => expect(corpusFiles.length).toBeGreaterThanOrEqual(8));

  it.each(corpusFiles)(
    '%s: a valid CycloneDX 1.6 SBOM with the hash of the file and of every nested binary',
    async (file) => {
      const path = join(corpus, file);
      const bytes = readFileSync(path);
      const doc = await validated((await buildSbomFromFile(path)).bytes);
      const tree = readMetadata(bytes);
      expect(doc.metadata.component.hashes).toEqual([{ alg: 'SHA-256', content: sha256(bytes) }]);
      const listed = flatten(doc.metadata.component);
      expect(listed.length).toBe([...binariesOf(tree)].length);
      for (const c of listed.slice(1)) {
        const binary = atPath(tree, property(c, 'wasm-meta:nested') as string);
        expect(c.hashes?.[0]?.content).toBe(sha256(bytes.subarray(binary.range.start, binary.range.end)));
      }
    },
  );

  it('gives the crates of the componentize-qjs component, each with a cargo purl', async () => {
    const doc = await validated((await buildSbomFromFile(join(corpus, 'component-componentize-qjs-hello.wasm'))).bytes);
    expect(doc.components.length).toBeGreaterThan(50);
    for (const crate of doc.components)
      expect(crate.purl).toBe(`pkg:cargo/${crate.name}@${encodeURIComponent(crate.version as string)}`);
    expect(doc.dependencies.find((d) => d.ref === 'nested:0.2')?.dependsOn).toEqual([
      'pkg:cargo/componentize-qjs-runtime@0.4.5',
    ]);
  });
});
