import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { WasmMetaError } from '../errors.js';
import type { WasmBinary } from '../metadata.js';
import { type Annotations, type ExplicitAnnotations, OCI, annotationsFor } from '../oci/annotations.js';
import {
  type Descriptor,
  MEDIA_TYPE,
  type WasmImageManifest,
  parseWasmImageManifest,
  serializeConfig,
  serializeImageManifest,
} from '../oci/artifact.js';
import { type OciReference, formatReference } from '../oci/reference.js';
import { MAX_JSON_BODY } from '../oci/http.js';
import type { RegistryClient } from '../oci/registry-client.js';
import { IMAGE_MANIFEST_ACCEPT } from '../oci/repository.js';
import { isSemver } from '../values/semver.js';
import { type Progress, startProgress } from './progress.js';
import { ioError, readMetadataFromFile } from './read-file.js';
import { type OciTarget, type RegistryOptions, resolveTarget } from './oci-target.js';
import { writeFileAtomic } from './write-file.js';

/** Options of {@link pushFile}. */
export interface PushOptions extends RegistryOptions {
  /** `--annotation` pairs and a parsed annotation file. */
  explicit?: ExplicitAnnotations;
  /** `created`: an RFC 3339 value, or `now` for the time of the push. */
  created?: string;
  /** Fail when a metadata section is invalid instead of skipping its annotation. */
  strict?: boolean;
  /** Show progress on standard error (when it is a terminal). Default true. */
  progress?: boolean;
}

/** What a push did. */
export interface PushResult {
  /** `registry/repository:tag@sha256:…`. */
  reference: string;
  digest: string;
  /** The image manifest that was pushed, as its exact bytes (compact JSON). */
  imageManifest: string;
  annotations: Annotations;
  /** Blobs that the registry already had and were not uploaded again. */
  skipped: string[];
  warnings: string[];
}

/**
 * Pushes a WebAssembly file as a Wasm OCI artifact (spec oci.md §2-§6): the layer and config
 * blobs (each skipped if the registry has it), then the image manifest, whose annotations come from
 * the file's metadata sections and the explicit annotations. The same file and options give
 * the same image manifest digest: `created` is set only when asked for or from `SOURCE_DATE_EPOCH`.
 */
export async function pushFile(path: string, referenceText: string, options: PushOptions = {}): Promise<PushResult> {
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const env = options.env ?? process.env;
  const target = await resolveTarget(referenceText, { ...options, onWarning: warn });
  if (target.needsVersion) {
    throw new WasmMetaError(
      'invalid-reference',
      `${referenceText}: give a version (namespace:name@1.2.3) to push a package`,
    );
  }
  const { reference, client } = target;
  if (reference.tag === undefined)
    throw new WasmMetaError('invalid-reference', `${referenceText}: a push needs a tag, not only a digest`);
  const binary = await readMetadataFromFile(path);
  const layer = await hashFile(path);

  const explicit = withCreated(options.explicit, options.created);
  const computed = annotationsFor({
    binary,
    layerTitle: target.layerTitle,
    tag: reference.tag,
    explicit,
    sourceDateEpoch: env['SOURCE_DATE_EPOCH'],
    strict: options.strict === true,
  });
  computed.warnings.forEach(warn);
  const config = new TextEncoder().encode(
    serializeConfig({
      created: computed.imageManifest[`${OCI}created`] ?? '1970-01-01T00:00:00Z',
      author: computed.imageManifest[`${OCI}authors`] ?? null,
      os: binary.kind === 'component' ? 'wasip2' : 'wasip1',
      layerDigests: [layer.digest],
      component: binary.kind === 'component' ? interfaceOf(binary) : null,
    }),
  );
  const configDescriptor: Descriptor = {
    mediaType: MEDIA_TYPE.config,
    digest: sha256(config),
    size: config.length,
    annotations: computed.config,
  };
  const layerDescriptor: Descriptor = {
    mediaType: MEDIA_TYPE.wasm,
    digest: layer.digest,
    size: layer.size,
    annotations: computed.layer,
  };
  const imageManifest = serializeImageManifest(configDescriptor, layerDescriptor, computed.imageManifest);
  const imageManifestBytes = new TextEncoder().encode(imageManifest);
  const digest = sha256(imageManifestBytes);

  const scope = `repository:${reference.repository}:pull,push`;
  const skipped: string[] = [];
  const progress = options.progress === false ? undefined : startProgress(`pushing ${basename(path)}`, layer.size);
  if (await uploadBlob(client, reference, scope, layer, () => fileStream(path, progress))) skipped.push(layer.digest);
  progress?.done();
  if (
    await uploadBlob(client, reference, scope, { digest: configDescriptor.digest, size: config.length }, () => config)
  ) {
    skipped.push(configDescriptor.digest);
  }
  const response = await client.request('PUT', `/v2/${reference.repository}/manifests/${reference.tag}`, {
    scope,
    headers: { 'content-type': MEDIA_TYPE.imageManifest },
    body: () => imageManifestBytes,
    expect: [201],
  });
  await response.body?.cancel();
  const echoed = response.headers.get('docker-content-digest');
  if (echoed !== null && echoed !== digest) {
    throw new WasmMetaError(
      'digest-mismatch',
      `${reference.registry}: the registry stored the image manifest as ${echoed}, but its digest is ${digest}`,
    );
  }
  return {
    reference: formatReference(reference, digest),
    digest,
    imageManifest,
    annotations: computed.imageManifest,
    skipped,
    warnings,
  };
}

/** Adds `created` (`now` is the time of the push) to the explicit annotations. */
function withCreated(
  explicit: ExplicitAnnotations | undefined,
  created: string | undefined,
): ExplicitAnnotations | undefined {
  if (created === undefined) return explicit;
  const value = created === 'now' ? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') : created;
  const pairs = explicit?.imageManifest ?? [];
  if (pairs.some(([key]) => key === `${OCI}created`)) {
    throw new WasmMetaError('invalid-annotation', `--created and --annotation ${OCI}created are both given`);
  }
  return { ...explicit, imageManifest: [...pairs, [`${OCI}created`, value]] };
}

function interfaceOf(binary: WasmBinary): { exports: string[]; imports: string[] } {
  return { exports: binary.exports.map((e) => e.name), imports: binary.imports.map((i) => i.name) };
}

/** Uploads a blob unless the registry has it; resolves to true if it was already there. */
async function uploadBlob(
  client: RegistryClient,
  reference: OciReference,
  scope: string,
  blob: { digest: string; size: number },
  body: () => BodyInit,
): Promise<boolean> {
  const head = await client.request('HEAD', `/v2/${reference.repository}/blobs/${blob.digest}`, {
    scope,
    expect: [200, 404],
  });
  if (head.status === 200) return true;
  const start = await client.request('POST', `/v2/${reference.repository}/blobs/uploads/`, { scope, expect: [202] });
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (location === null)
    throw new WasmMetaError('registry', `${reference.registry}: the upload was started without a Location`);
  // The Location may carry state (`?_state=…`): append the digest, never rebuild it.
  const url = new URL(location, client.origin);
  url.searchParams.append('digest', blob.digest);
  const done = await client.request('PUT', url.href, {
    scope,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
    body,
    expect: [201],
  });
  await done.body?.cancel();
  return false;
}

/** A file as a web stream, counting progress. */
function fileStream(path: string, progress: Progress | undefined): ReadableStream<Uint8Array> {
  const stream = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  if (progress === undefined) return stream;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        progress.advance(chunk.length);
        controller.enqueue(chunk);
      },
    }),
  );
}

async function hashFile(path: string): Promise<{ digest: string; size: number }> {
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    if ((await stat(path)).size !== size) throw new Error('the file changed while it was read');
    return { digest: `sha256:${hash.digest('hex')}`, size };
  } catch (error) {
    throw ioError(path, error);
  }
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** An image manifest fetched from a registry, its digest checked. */
export interface FetchedImageManifest {
  reference: OciReference;
  digest: string;
  bytes: Uint8Array;
  imageManifest: WasmImageManifest;
}

/** Fetches and checks the image manifest of a reference; for a wkg package without a version, the highest SemVer tag. */
async function fetchImageManifest(target: OciTarget): Promise<FetchedImageManifest> {
  const { client } = target;
  let reference = target.reference;
  if (target.needsVersion) reference = { ...reference, tag: await highestSemverTag(client, reference) };
  const scope = `repository:${reference.repository}:pull`;
  const response = await client.request(
    'GET',
    `/v2/${reference.repository}/manifests/${reference.digest ?? reference.tag}`,
    {
      scope,
      headers: { accept: IMAGE_MANIFEST_ACCEPT },
      expect: [200],
    },
  );
  const bytes = await client.readBody(response, MAX_JSON_BODY, 'the image manifest');
  const digest = sha256(bytes);
  if (reference.digest !== undefined && digest !== reference.digest) {
    throw new WasmMetaError(
      'digest-mismatch',
      `${reference.registry}: the image manifest has the digest ${digest}, not ${reference.digest}`,
    );
  }
  const echoed = response.headers.get('docker-content-digest');
  if (echoed !== null && echoed !== digest) {
    throw new WasmMetaError(
      'digest-mismatch',
      `${reference.registry}: the registry says the image manifest is ${echoed}, but its bytes hash to ${digest}`,
    );
  }
  return {
    reference,
    digest,
    bytes,
    imageManifest: parseWasmImageManifest(bytes, response.headers.get('content-type')),
  };
}

/** The highest SemVer tag of a repository, as wkg picks versions (no `sha256-` tags). */
async function highestSemverTag(client: RegistryClient, reference: OciReference): Promise<string> {
  const tags: string[] = [];
  let next: string | undefined = `/v2/${reference.repository}/tags/list`;
  for (let page = 0; next !== undefined && page < 100; page++) {
    const response = await client.request('GET', next, {
      scope: `repository:${reference.repository}:pull`,
      expect: [200],
    });
    const body = JSON.parse(
      new TextDecoder().decode(await client.readBody(response, MAX_JSON_BODY, 'the tag list')),
    ) as { tags?: unknown };
    if (Array.isArray(body.tags)) tags.push(...body.tags.filter((t): t is string => typeof t === 'string'));
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  const versions = tags.filter((t) => !t.startsWith('sha256-') && isSemver(t)).sort(compareSemver);
  const highest = versions[versions.length - 1];
  if (highest === undefined)
    throw new WasmMetaError('registry', `${reference.registry}/${reference.repository} has no SemVer tags`);
  return highest;
}

/** SemVer precedence (build metadata ignored). */
export function compareSemver(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('+')[0]?.split(/-(.*)/s) as [string, string | undefined];
    return { nums: core.split('.').map(Number), pre: pre === undefined ? [] : pre.split('.') };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return (x.nums[i] as number) - (y.nums[i] as number);
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** Fetches a small blob (the config) and checks its size and digest. */
async function fetchSmallBlob(client: RegistryClient, reference: OciReference, blob: Descriptor): Promise<Uint8Array> {
  const response = await client.request('GET', `/v2/${reference.repository}/blobs/${blob.digest}`, {
    scope: `repository:${reference.repository}:pull`,
    expect: [200],
  });
  const bytes = await client.readBody(response, Math.min(blob.size, MAX_JSON_BODY), `the blob ${blob.digest}`);
  checkBlob(reference, blob, bytes.length, sha256(bytes));
  return bytes;
}

function checkBlob(reference: OciReference, blob: Descriptor, size: number, digest: string): void {
  if (size !== blob.size) {
    throw new WasmMetaError(
      'digest-mismatch',
      `${reference.registry}: the blob ${blob.digest} has ${size} bytes, not the ${blob.size} its descriptor says`,
    );
  }
  if (digest !== blob.digest) {
    throw new WasmMetaError('digest-mismatch', `${reference.registry}: the blob ${blob.digest} hashes to ${digest}`);
  }
}

/** What {@link inspectReference} finds. */
export interface Inspection {
  reference: string;
  digest: string;
  /** The image manifest as the registry stores it (parsed). */
  imageManifest: unknown;
  /** The config blob (parsed). */
  config: unknown;
  annotations: Annotations;
  layer: Descriptor;
  warnings: string[];
}

/** Reads the image manifest and config of a reference, checking their digests, without the layer. */
export async function inspectReference(referenceText: string, options: RegistryOptions = {}): Promise<Inspection> {
  const target = await resolveTarget(referenceText, options);
  const fetched = await fetchImageManifest(target);
  const configBytes = await fetchSmallBlob(target.client, fetched.reference, fetched.imageManifest.config);
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(configBytes));
  } catch {
    throw new WasmMetaError('invalid-artifact', 'the config blob is not JSON');
  }
  return {
    reference: formatReference(fetched.reference, fetched.digest),
    digest: fetched.digest,
    imageManifest: JSON.parse(new TextDecoder().decode(fetched.bytes)),
    config,
    annotations: fetched.imageManifest.annotations,
    layer: fetched.imageManifest.layer,
    warnings: fetched.imageManifest.warnings,
  };
}

/** Options of {@link pullToFile}. */
export interface PullOptions extends RegistryOptions {
  /** The output file; by default the layer's title, else `<repository>.wasm`. */
  output?: string;
  /** Check that the pulled binary's sections agree with the image manifest annotations. */
  verify?: boolean;
  progress?: boolean;
}

/** What a pull did. */
export interface PullResult {
  path: string;
  reference: string;
  digest: string;
  size: number;
  warnings: string[];
}

/**
 * Pulls a Wasm OCI artifact to a file: checks the media types and that there is one Wasm layer,
 * verifies the size and digest of the config and of the layer while it streams, and only then
 * renames the temporary file over the output. With `verify`, the pulled binary's sections must
 * also agree with the image manifest annotations.
 */
export async function pullToFile(referenceText: string, options: PullOptions = {}): Promise<PullResult> {
  const target = await resolveTarget(referenceText, options);
  const fetched = await fetchImageManifest(target);
  const { reference, imageManifest } = fetched;
  await fetchSmallBlob(target.client, reference, imageManifest.config);
  const path = options.output ?? outputName(imageManifest, target);
  const response = await target.client.request(
    'GET',
    `/v2/${reference.repository}/blobs/${imageManifest.layer.digest}`,
    {
      scope: `repository:${reference.repository}:pull`,
      expect: [200],
    },
  );
  const hash = createHash('sha256');
  let size = 0;
  const progress =
    options.progress === false ? undefined : startProgress(`pulling ${basename(path)}`, imageManifest.layer.size);
  const body = response.body;
  async function* received(): AsyncGenerator<Uint8Array> {
    if (body === null) return;
    try {
      yield* body as unknown as AsyncIterable<Uint8Array>;
    } catch (error) {
      throw new WasmMetaError(
        'registry',
        `${reference.registry}: the download of the layer failed: ${describeCause(error)}`,
        undefined,
        { cause: error },
      );
    }
  }
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of received()) {
      size += chunk.length;
      // Cut off a response that runs past its declared size instead of storing it.
      if (size > imageManifest.layer.size) {
        throw new WasmMetaError(
          'digest-mismatch',
          `${reference.registry}: the layer is longer than the ${imageManifest.layer.size} bytes its descriptor says`,
        );
      }
      hash.update(chunk);
      progress?.advance(chunk.length);
      yield chunk;
    }
  }
  try {
    await writeFileAtomic(path, chunks(), {
      verify: () => checkBlob(reference, imageManifest.layer, size, `sha256:${hash.digest('hex')}`),
    });
  } catch (error) {
    if (error instanceof WasmMetaError) throw error;
    throw new WasmMetaError(
      'registry',
      `${reference.registry}: the download of the layer failed: ${(error as Error).message}`,
      undefined,
      { cause: error },
    );
  } finally {
    progress?.done();
  }
  if (options.verify) await verifyAgainstImageManifest(path, imageManifest, target);
  return {
    path,
    reference: formatReference(reference, fetched.digest),
    digest: fetched.digest,
    size,
    warnings: imageManifest.warnings,
  };
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
}

/** The layer's title as a plain file name (no directories), else `<repository>.wasm`. */
function outputName(imageManifest: WasmImageManifest, target: OciTarget): string {
  const title = imageManifest.layer.annotations?.[`${OCI}title`];
  if (title !== undefined) {
    const name = title.split(/[\\/]/).pop() ?? '';
    if (name !== '' && name !== '.' && name !== '..' && !name.includes('\0')) return name;
  }
  return target.layerTitle;
}

/** The annotations that the pulled binary's own sections give must be the image manifest's. */
async function verifyAgainstImageManifest(
  path: string,
  imageManifest: WasmImageManifest,
  target: OciTarget,
): Promise<void> {
  const binary = await readMetadataFromFile(path);
  const fromSections = annotationsFor({ binary, layerTitle: target.layerTitle }).imageManifest;
  const differences = Object.entries(fromSections)
    .filter(([key, value]) => imageManifest.annotations[key] !== value)
    .map(
      ([key, value]) =>
        `${key}: the binary has ${JSON.stringify(value)}, the image manifest ${JSON.stringify(imageManifest.annotations[key] ?? null)}`,
    );
  if (differences.length > 0) {
    throw new WasmMetaError(
      'invalid-artifact',
      `${path}: the metadata sections disagree with the image manifest annotations:\n  ${differences.join('\n  ')}`,
    );
  }
}
