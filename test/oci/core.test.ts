import { describe, expect, it } from 'vitest';
import { readMetadata } from '../../src/read.js';
import { annotationsFor, createdFromEpoch, orasAnnotationFile } from '../../src/oci/annotations.js';
import { MEDIA_TYPE, parseWasmImageManifest, serializeConfig, serializeImageManifest } from '../../src/oci/artifact.js';
import { basicAuthorization, parseChallenge } from '../../src/oci/auth.js';
import { isLoopback, parseReference } from '../../src/oci/reference.js';
import { parseRetryAfter } from '../../src/oci/registry-client.js';
import { compareSemver } from '../../src/values/semver.js';
import { highestVersion, parsePackageName } from '../../src/oci/target.js';
import { parseWkgConfig, parseWkgRegistryLocation } from '../../src/oci/wkg-config.js';
import { custom, module } from '../support/wasm.js';

const OCI = 'org.opencontainers.image.';

describe('references', () => {
  it.each([
    ['hello', 'docker.io', 'registry-1.docker.io', 'library/hello', 'latest', undefined],
    ['acme/hello:1.0', 'docker.io', 'registry-1.docker.io', 'acme/hello', '1.0', undefined],
    ['localhost:5000/hello', 'localhost:5000', 'localhost:5000', 'hello', 'latest', undefined],
    ['ghcr.io/acme/tools/hello:v2', 'ghcr.io', 'ghcr.io', 'acme/tools/hello', 'v2', undefined],
    [
      `127.0.0.1:5000/a/b@sha256:${'a'.repeat(64)}`,
      '127.0.0.1:5000',
      '127.0.0.1:5000',
      'a/b',
      undefined,
      `sha256:${'a'.repeat(64)}`,
    ],
    ['localhost/x', 'localhost', 'localhost', 'x', 'latest', undefined],
    ['docker.io/hello', 'docker.io', 'registry-1.docker.io', 'library/hello', 'latest', undefined],
    ['index.docker.io/hello:1', 'docker.io', 'registry-1.docker.io', 'library/hello', '1', undefined],
    ['Index.Docker.IO/acme/hello', 'docker.io', 'registry-1.docker.io', 'acme/hello', 'latest', undefined],
  ])('%s', (text, registry, apiHost, repository, tag, digest) => {
    expect(parseReference(text)).toEqual({ registry, apiHost, repository, tag, digest });
  });

  it.each([
    ['ghcr.io/Acme/hello', /not a valid repository name/],
    ['ghcr.io/acme/hello:1.0.0+build', /tags cannot hold "\+"/],
    ['ghcr.io/acme/hello@sha256:xyz', /sha256: and 64 lowercase hex/],
    ['ghcr.io/acme/hello:.bad', /not a valid tag/],
    ['https://ghcr.io/acme/hello:1', /a reference has no scheme \(https:\/\/\); write "ghcr\.io\/acme\/hello:1"$/],
    [
      'http://reg.example:5000/acme/hello:1',
      /has no scheme \(http:\/\/\); write "reg\.example:5000\/acme\/hello:1", with --insecure reg\.example:5000 if the registry speaks plain HTTP$/,
    ],
    ['HTTP://localhost:5000/x', /has no scheme \(HTTP:\/\/\)/],
  ])('rejects %s', (text, message) => {
    expect(() => parseReference(text)).toThrow(message);
  });

  it('knows loopback hosts', () => {
    expect(['localhost:5000', '127.0.0.1', '[::1]:80', 'LOCALHOST'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['127.0.0.2', 'example.com', 'localhost.example.com:5000'].map(isLoopback)).toEqual([false, false, false]);
  });

  it('parses wkg package names, and leaves OCI references alone', () => {
    expect(parsePackageName('acme:hello@0.1.0')).toEqual({ namespace: 'acme', name: 'hello', version: '0.1.0' });
    expect(parsePackageName('my-ns:my-pkg2')).toEqual({ namespace: 'my-ns', name: 'my-pkg2', version: undefined });
    expect(parsePackageName('hello:1.0')).toBeUndefined();
    expect(() => parsePackageName('acme:hello@latest')).toThrow(/SemVer/);
  });

  it('orders SemVer tags by precedence', () => {
    expect(['1.0.0', '0.10.0', '0.9.1', '1.0.0-rc.1', '1.0.0-alpha', '1.0.0-alpha.2'].sort(compareSemver)).toEqual([
      '0.9.1',
      '0.10.0',
      '1.0.0-alpha',
      '1.0.0-alpha.2',
      '1.0.0-rc.1',
      '1.0.0',
    ]);
  });

  it('picks the highest SemVer tag, as wkg does, ignoring other tags and referrer tags', () => {
    expect(highestVersion(['latest', '0.9.1', '0.10.0', '1.0.0-rc.1', 'sha256-9.9.9', 'v2.0.0'])).toBe('1.0.0-rc.1');
    expect(highestVersion(['latest', 'main'])).toBeUndefined();
  });
});

describe('wkg config as data', () => {
  it('reads registries, inline locations, credentials and protocol from the parsed tables', () => {
    const config = parseWkgConfig({
      default_registry: 'example.com',
      namespace_registries: {
        acme: 'acme.dev',
        wasi: {
          registry: 'wasi.dev',
          metadata: { preferredProtocol: 'oci', oci: { registry: 'ghcr.io', namespacePrefix: 'webassembly/' } },
        },
      },
      package_registry_overrides: {
        'acme:special': { registry: 'special.dev', metadata: { ociRegistry: 'old.io', ociNamespacePrefix: 'p/' } },
      },
      registry: {
        'acme.dev': { oci: { auth: { username: 'ana', password: 'pw' } } },
        'localhost:5000': { oci: { auth: Buffer.from('bob:s:ecret').toString('base64'), protocol: 'http' } },
        'bad.dev': { oci: { auth: 'not base64 at all!' } },
      },
    });
    expect(config.defaultRegistry).toBe('example.com');
    expect(config.namespaceRegistries.get('acme')).toEqual({ registry: 'acme.dev' });
    expect(config.namespaceRegistries.get('wasi')).toEqual({
      registry: 'wasi.dev',
      location: { ociRegistry: 'ghcr.io', namespacePrefix: 'webassembly/' },
    });
    expect(config.packageRegistryOverrides.get('acme:special')?.location).toEqual({
      ociRegistry: 'old.io',
      namespacePrefix: 'p/',
    });
    expect(config.oci.get('acme.dev')).toEqual({ auth: { username: 'ana', password: 'pw' }, plainHttp: false });
    expect(config.oci.get('localhost:5000')).toEqual({
      auth: { username: 'bob', password: 's:ecret' },
      plainHttp: true,
    });
    expect(config.oci.get('bad.dev')).toEqual({ plainHttp: false });
    expect(parseWkgRegistryLocation('not a table')).toBeUndefined();
  });
});

describe('annotations', () => {
  const binary = readMetadata(
    Uint8Array.from(
      module(
        custom('name', [0, 4, 3, 0x61, 0x70, 0x70]),
        custom('author', 'Legacy Author'),
        custom('homepage', 'https://acme.dev'),
        custom('licenses', 'MIT/Apache-2.0'),
        custom('version', '2.0.0'),
      ),
    ),
  );

  it('maps sections to keys, homepage to url and the name to title, skipping invalid sections with a warning', () => {
    const result = annotationsFor(binary, { layerTitle: 'app.wasm', tag: '2.0.0' });
    expect(result.imageManifest).toEqual({
      [`${OCI}authors`]: 'Legacy Author',
      [`${OCI}url`]: 'https://acme.dev/',
      [`${OCI}version`]: '2.0.0',
      [`${OCI}title`]: 'app',
    });
    expect(result.layer).toEqual({ [`${OCI}title`]: 'app.wasm' });
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^the licenses section is invalid .*; org\.opencontainers\.image\.licenses not set from it$/,
      ),
    ]);
    expect(() => annotationsFor(binary, { layerTitle: 'app.wasm', strict: true })).toThrow(
      /licenses section is invalid/,
    );
  });

  it('takes the version from a SemVer tag when there is no section, and created from SOURCE_DATE_EPOCH', () => {
    const bare = readMetadata(Uint8Array.from(module()));
    expect(
      annotationsFor(bare, { layerTitle: 'x.wasm', tag: '1.2.3-rc.1', sourceDateEpoch: '0' }).imageManifest,
    ).toEqual({
      [`${OCI}version`]: '1.2.3-rc.1',
      [`${OCI}created`]: '1970-01-01T00:00:00Z',
    });
    expect(annotationsFor(bare, { layerTitle: 'x.wasm', tag: 'latest' }).imageManifest).toEqual({});
    expect(createdFromEpoch('1767225600')).toBe('2026-01-01T00:00:00Z');
    expect(() => createdFromEpoch('-1')).toThrow(/non-negative integer/);
    expect(() => createdFromEpoch('1.5')).toThrow(/non-negative integer/);
  });

  it('needs only the binary: without a layer title the layer has no title, and a file may not name one', () => {
    const result = annotationsFor(binary);
    expect(result.imageManifest).toEqual(annotationsFor(binary, { layerTitle: 'app.wasm' }).imageManifest);
    expect(result.imageManifest[`${OCI}title`]).toBe('app');
    expect(result.layer).toEqual({});
    expect(result.config).toEqual({});
    expect(() => annotationsFor(binary, { explicit: { file: { 'app.wasm': { k: 'v' } } } })).toThrow(
      /has the key "app\.wasm"; expected "\$manifest" or "\$config"$/,
    );
  });

  it('gives --annotation precedence over the file, and both over the sections', () => {
    const result = annotationsFor(binary, {
      layerTitle: 'app.wasm',
      explicit: {
        imageManifest: [[`${OCI}url`, 'https://flag.example']],
        file: { $manifest: { [`${OCI}url`]: 'https://file.example', [`${OCI}vendor`]: 'V' }, 'app.wasm': { k: 'v' } },
      },
    });
    expect(result.imageManifest[`${OCI}url`]).toBe('https://flag.example');
    expect(result.imageManifest[`${OCI}vendor`]).toBe('V');
    expect(result.layer).toEqual({ k: 'v', [`${OCI}title`]: 'app.wasm' });
  });

  it('writes created in canonical RFC 3339 UTC, from a flag, a file or a section', () => {
    const created = `${OCI}created`;
    const flag = annotationsFor(binary, { explicit: { imageManifest: [[created, '2026-01-01t01:00:00+01:00']] } });
    expect(flag.imageManifest[created]).toBe('2026-01-01T00:00:00Z');
    const file = annotationsFor(binary, {
      explicit: { file: { $manifest: { [created]: '2026-06-30T23:59:59.250z' } } },
    });
    expect(file.imageManifest[created]).toBe('2026-06-30T23:59:59.25Z');
    const section = readMetadata(Uint8Array.from(module(custom('created', '2025-12-31T19:00:00-05:00'))));
    expect(section.created).toBe('2025-12-31T19:00:00-05:00');
    expect(annotationsFor(section).imageManifest[created]).toBe('2026-01-01T00:00:00Z');
  });

  it('validates explicit values and the annotation file', () => {
    const explicit = (imageManifest: Array<[string, string]>, file?: unknown) => () =>
      annotationsFor(binary, { layerTitle: 'app.wasm', explicit: { imageManifest, file } });
    expect(explicit([[`${OCI}created`, 'yesterday']])).toThrow(/is not an RFC 3339 date-time/);
    expect(explicit([[`${OCI}source`, 'github.com/x']])).toThrow(/is not an absolute URL/);
    expect(
      explicit([
        ['a', '1'],
        ['a', '2'],
      ]),
    ).toThrow(/given twice/);
    expect(explicit([], { other: {} })).toThrow(/expected "\$manifest", "\$config" or the layer title "app\.wasm"/);
    expect(explicit([], { $manifest: { a: 1 } })).toThrow(/must map keys to strings/);
  });

  it('writes an oras annotation file with sorted keys', () => {
    expect(orasAnnotationFile({ b: '2', a: '1' })).toBe('{\n  "$manifest": {\n    "a": "1",\n    "b": "2"\n  }\n}\n');
  });
});

describe('artifact serialization', () => {
  it('serializes the image manifest and config with fixed key order and sorted annotations', () => {
    const config = serializeConfig({
      created: '1970-01-01T00:00:00Z',
      author: null,
      os: 'wasip1',
      layerDigests: ['sha256:a'],
      component: null,
    });
    expect(config).toBe(
      '{"created":"1970-01-01T00:00:00Z","author":null,"architecture":"wasm","os":"wasip1","layerDigests":["sha256:a"],"component":null}',
    );
    const imageManifest = serializeImageManifest(
      { mediaType: MEDIA_TYPE.config, digest: 'sha256:c', size: 1, annotations: {} },
      { mediaType: MEDIA_TYPE.wasm, digest: 'sha256:l', size: 2, annotations: { t: 'x' } },
      { z: '1', a: '2' },
    );
    expect(imageManifest).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.wasm.config.v0+json","digest":"sha256:c","size":1},"layers":[{"mediaType":"application/wasm","digest":"sha256:l","size":2,"annotations":{"t":"x"}}],"annotations":{"a":"2","z":"1"}}',
    );
  });

  it('accepts the deprecated wasmCloud layer type with a warning, and checks the Content-Type', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const bytes = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPE.imageManifest,
        config: { mediaType: MEDIA_TYPE.config, digest, size: 2 },
        layers: [{ mediaType: MEDIA_TYPE.legacyWasm, digest, size: 3 }],
      }),
    );
    expect(parseWasmImageManifest(bytes, MEDIA_TYPE.imageManifest).warnings).toEqual([
      expect.stringMatching(/deprecated media type/),
    ]);
    expect(() => parseWasmImageManifest(bytes, 'application/vnd.docker.distribution.manifest.v2+json')).toThrow(
      /sent the image manifest as/,
    );
  });
});

describe('HTTP authentication', () => {
  it('parses challenges with quoted values', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push",error="insufficient_scope"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example/token',
        service: 'registry.example',
        scope: 'repository:a/b:pull,push',
        error: 'insufficient_scope',
      },
    });
    expect(parseChallenge('Basic realm="a \\"quoted\\" realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'a "quoted" realm' },
    });
    expect(parseChallenge(null)).toBeUndefined();
  });

  it('encodes Basic credentials as UTF-8', () => {
    expect(basicAuthorization('alice', 'pässword')).toBe(`Basic ${Buffer.from('alice:pässword').toString('base64')}`);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
  });
});
