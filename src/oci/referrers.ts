/**
 * OCI 1.1 referrers: artifacts attached to a manifest through their `subject` (an SBOM, a
 * signature), and the list of what is attached to a manifest.
 *
 * An attached artifact is an image manifest with an `artifactType`, the empty config and one
 * layer (image-spec 1.1, "guidelines for artifact usage"), laid out as `oras attach` lays it
 * out. The list comes from the registry's referrers API when it has one; otherwise from the
 * image index that clients keep under the referrers tag (`sha256-<hex>`), exactly as
 * distribution-spec 1.1 describes, so that oras, cosign and notation find the same referrers.
 */

import { WasmMetaError } from '../errors.js';
import { type Annotations, sortKeys } from './annotations.js';
import { type Descriptor, MEDIA_TYPE } from './artifact.js';
import { digestOf, isDigest } from './digest.js';
import type { BodySource } from './registry-client.js';
import type { BlobDescriptor, Repository } from './repository.js';

/** The empty JSON blob `{}` (image-spec 1.1): the config of an artifact that has none. */
export const EMPTY_JSON = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
  bytes: Uint8Array.from([0x7b, 0x7d]),
} as const;

/** The annotation that names an attached file, as oras writes it. */
const TITLE = 'org.opencontainers.image.title';

/** Attempts to update the referrers tag when another client's update overwrote ours. */
const INDEX_UPDATE_ATTEMPTS = 3;

/** A descriptor in a referrers list: a referrer's manifest, its artifact type and annotations. */
export interface ReferrerDescriptor extends Descriptor {
  /** The manifest's `artifactType`, else its config's media type; absent for an index without one. */
  artifactType?: string;
}

/** The referrers of a manifest, and where the list came from. */
export interface ReferrersList {
  referrers: ReferrerDescriptor[];
  /** `api` for the registry's referrers API; else the referrers tag that was read (`sha256-…`). */
  source: 'api' | { tag: string };
}

/**
 * The referrers tag of a digest (distribution-spec 1.1): `sha256:abc…` is `sha256-abc…`.
 *
 * The referrers tag schema: the algorithm truncated to 32 characters, `-`, the encoded part
 * truncated to 64, and any character a tag cannot hold replaced with `-`.
 */
export function referrersTag(digest: string): string {
  const colon = digest.indexOf(':');
  if (colon <= 0) throw new WasmMetaError('invalid-reference', `${JSON.stringify(digest)} is not a digest`);
  const algorithm = digest.slice(0, colon).slice(0, 32);
  const encoded = digest.slice(colon + 1).slice(0, 64);
  return `${algorithm}-${encoded}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** What an attached artifact is made of. */
export interface ReferrerManifestInputs {
  /** The artifact's type, a media type (`application/vnd.cyclonedx+json`). */
  artifactType: string;
  /** The manifest it is attached to. */
  subject: Descriptor;
  /** The one layer: the attached file's descriptor (its title in `annotations`). */
  layer: Descriptor;
  /** The image manifest's annotations. */
  annotations?: Annotations | undefined;
}

/** An attached artifact's image manifest, ready to push. */
export interface ReferrerManifest {
  text: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** Its descriptor, as a referrers list holds it: with `artifactType` and the annotations. */
  descriptor: ReferrerDescriptor;
}

/**
 * The image manifest of an attached artifact, reproducible: the same inputs give the same digest.
 *
 * It holds `artifactType`, the empty config, the layer, the `subject` and the annotations,
 * compact, keys in the order oras (Go's image-spec types) writes them, annotations sorted.
 */
export function buildReferrerManifest(inputs: ReferrerManifestInputs, sha256: Repository['sha256']): ReferrerManifest {
  checkMediaType(inputs.artifactType, 'the artifact type');
  checkMediaType(inputs.layer.mediaType, 'the layer media type');
  const annotations = inputs.annotations ?? {};
  const config = { mediaType: EMPTY_JSON.mediaType, digest: EMPTY_JSON.digest, size: EMPTY_JSON.size };
  const text = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE.imageManifest,
    artifactType: inputs.artifactType,
    config,
    layers: [descriptorJson(inputs.layer)],
    subject: descriptorJson({
      mediaType: inputs.subject.mediaType,
      digest: inputs.subject.digest,
      size: inputs.subject.size,
    }),
    ...(Object.keys(annotations).length > 0 ? { annotations: sortKeys(annotations) } : {}),
  });
  const bytes = new TextEncoder().encode(text);
  const descriptor: ReferrerDescriptor = {
    mediaType: MEDIA_TYPE.imageManifest,
    digest: digestOf(sha256, bytes),
    size: bytes.length,
    ...(Object.keys(annotations).length > 0 ? { annotations: sortKeys(annotations) } : {}),
    artifactType: inputs.artifactType,
  };
  return { text, bytes, descriptor };
}

/** Options of {@link attachArtifact} and {@link attachBlob}. */
export interface AttachOptions {
  /** The artifact's type, a media type (`application/vnd.cyclonedx+json`). */
  artifactType: string;
  /** The layer's media type; the artifact type by default. */
  mediaType?: string | undefined;
  /** The attached file's name, the layer's `org.opencontainers.image.title`. */
  title?: string | undefined;
  /** The image manifest's annotations. */
  annotations?: Annotations | undefined;
}

/** What attaching did. */
export interface AttachedArtifact {
  /** The attached artifact's image manifest, as pushed. */
  manifest: ReferrerManifest;
  /** The digest of the attached artifact's image manifest. */
  digest: string;
  /** The layer's descriptor. */
  layer: Descriptor;
  /**
   * How the registry lists it: `api` when it answered the push with `OCI-Subject`; else the
   * referrers tag that was updated, and whether the artifact was listed there already.
   */
  listing: 'api' | { tag: string; alreadyListed: boolean };
  /** Blobs that the registry already had and were not uploaded again. */
  skipped: string[];
}

/**
 * Attaches bytes held in memory (an SBOM) to a manifest as an OCI 1.1 artifact.
 *
 * Attaches bytes held in memory to the manifest `subject` of a repository opened for push; see
 * {@link attachBlob}.
 */
export async function attachArtifact(
  repository: Repository,
  subject: Descriptor,
  bytes: Uint8Array<ArrayBuffer>,
  options: AttachOptions,
): Promise<AttachedArtifact> {
  const blob = { digest: digestOf(repository.sha256, bytes), size: bytes.length };
  return attachBlob(repository, subject, blob, () => bytes, options);
}

/**
 * Attaches a blob to a manifest as an OCI 1.1 artifact, and makes sure the registry lists it.
 *
 * Pushes the empty config and the blob (each skipped when the registry has it), then the
 * artifact's image manifest by digest with `subject` set. A registry that answers with
 * `OCI-Subject` lists it itself; for any other, the referrers tag's image index is fetched (a
 * 404 is an empty one), the artifact's descriptor appended unless it is there already, and the
 * index pushed back under the tag (distribution-spec 1.1, "pushing manifests with subject").
 * Two clients updating the tag at once can lose an entry, so the tag is read again after the
 * push, and the update repeated if the descriptor is missing.
 */
export async function attachBlob(
  repository: Repository,
  subject: Descriptor,
  blob: BlobDescriptor,
  body: BodySource,
  options: AttachOptions,
): Promise<AttachedArtifact> {
  const layer: Descriptor = {
    mediaType: options.mediaType ?? options.artifactType,
    digest: blob.digest,
    size: blob.size,
    ...(options.title === undefined ? {} : { annotations: { [TITLE]: options.title } }),
  };
  const manifest = buildReferrerManifest(
    { artifactType: options.artifactType, subject, layer, annotations: options.annotations },
    repository.sha256,
  );
  const skipped: string[] = [];
  if ((await repository.pushBlob(EMPTY_JSON, () => EMPTY_JSON.bytes.slice())) === 'present') {
    skipped.push(EMPTY_JSON.digest);
  }
  if ((await repository.pushBlob(blob, body)) === 'present') skipped.push(blob.digest);
  const { digest } = manifest.descriptor;
  const pushed = await repository.pushImageManifest(digest, manifest.bytes);
  const listing =
    pushed.subject === null ? await addToReferrersTag(repository, subject.digest, manifest.descriptor) : 'api';
  return { manifest, digest, layer, listing, skipped };
}

/**
 * Adds a descriptor to the image index under a subject's referrers tag, unless it is there:
 * fetch (404: empty), append, push, read back.
 */
async function addToReferrersTag(
  repository: Repository,
  subjectDigest: string,
  descriptor: ReferrerDescriptor,
): Promise<{ tag: string; alreadyListed: boolean }> {
  const tag = referrersTag(subjectDigest);
  for (let attempt = 1; ; attempt++) {
    const entries = await readReferrersTag(repository, tag, 'strict');
    if (entries.some((entry) => entry['digest'] === descriptor.digest)) {
      return { tag, alreadyListed: attempt === 1 };
    }
    const index = serializeReferrersIndex([...entries, descriptorJson(descriptor)]);
    await repository.pushImageManifest(tag, index, MEDIA_TYPE.imageIndex);
    const after = await readReferrersTag(repository, tag, 'strict');
    if (after.some((entry) => entry['digest'] === descriptor.digest)) return { tag, alreadyListed: false };
    if (attempt === INDEX_UPDATE_ATTEMPTS) {
      throw new WasmMetaError(
        'registry',
        `${repository.registry}: the referrers tag ${tag} kept changing while ${descriptor.digest} was added to it`,
      );
    }
  }
}

/**
 * The entries of the image index under a referrers tag, as JSON objects kept as they are (so
 * that what other clients wrote survives an update); none when the tag does not exist. What is
 * not an image index is an error with `strict` (nothing is overwritten), and no referrers when
 * listing, as distribution-spec 1.1 says.
 */
async function readReferrersTag(
  repository: Repository,
  tag: string,
  mode: 'strict' | 'lenient',
): Promise<Record<string, unknown>[]> {
  const fetched = await repository.fetchImageManifestIfPresent(tag);
  if (fetched === undefined) return [];
  try {
    return parseIndexEntries(fetched.bytes);
  } catch (error) {
    if (mode === 'lenient') return [];
    throw new WasmMetaError(
      'registry',
      `${repository.registry}: the referrers tag ${tag} does not hold a referrers image index (${(error as Error).message}); it was left as it is`,
    );
  }
}

/** A referrers image index, compact: `schemaVersion`, `mediaType`, `manifests`, as oras writes it. */
export function serializeReferrersIndex(manifests: readonly object[]): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE.imageIndex, manifests }));
}

/** Options of {@link listReferrers}. */
export interface ListReferrersOptions {
  /** Only the referrers of this artifact type. */
  artifactType?: string | undefined;
}

/**
 * The referrers of a manifest: from the referrers API, else from the referrers tag.
 *
 * The artifacts attached to the manifest `subjectDigest`: from the registry's referrers API
 * (every page), or, where it answers 404 (distribution 2.8 does), from the image index under the
 * referrers tag, which counts as no referrers when it is missing or is not an image index. With
 * `artifactType`, only those of that type: filtered by the registry when it says it did
 * (`OCI-Filters-Applied`), else here.
 */
export async function listReferrers(
  repository: Repository,
  subjectDigest: string,
  options: ListReferrersOptions = {},
): Promise<ReferrersList> {
  const { artifactType } = options;
  const pages = await repository.referrers(subjectDigest, artifactType);
  const keep = (referrers: ReferrerDescriptor[], filtered: boolean): ReferrerDescriptor[] =>
    artifactType === undefined || filtered ? referrers : referrers.filter((r) => r.artifactType === artifactType);
  if (pages !== undefined) {
    const referrers = pages.flatMap((page) => {
      let entries: Record<string, unknown>[];
      try {
        entries = parseIndexEntries(page.bytes);
      } catch (error) {
        throw new WasmMetaError(
          'registry',
          `${repository.registry}: the referrers API's answer is not an image index: ${(error as Error).message}`,
        );
      }
      return keep(entries.map(toReferrerDescriptor), page.filtersApplied.includes('artifactType'));
    });
    return { referrers, source: 'api' };
  }
  const tag = referrersTag(subjectDigest);
  const entries = await readReferrersTag(repository, tag, 'lenient');
  return { referrers: keep(entries.map(toReferrerDescriptor), false), source: { tag } };
}

/**
 * The descriptor of a manifest, fetched by tag or digest (its digest verified), to be the
 * `subject` of an attached artifact: its media type, digest and size.
 */
export async function subjectDescriptor(repository: Repository, tagOrDigest: string): Promise<Descriptor> {
  const fetched = await repository.fetchImageManifest(tagOrDigest);
  let mediaType: unknown;
  try {
    mediaType = (JSON.parse(new TextDecoder().decode(fetched.bytes)) as { mediaType?: unknown }).mediaType;
  } catch {
    throw new WasmMetaError('invalid-artifact', `${tagOrDigest}: the image manifest is not JSON`);
  }
  const type = typeof mediaType === 'string' ? mediaType : fetched.contentType?.split(';')[0]?.trim();
  if (type === undefined || type === '') {
    throw new WasmMetaError('invalid-artifact', `${tagOrDigest}: the image manifest has no media type`);
  }
  return { mediaType: type, digest: fetched.digest, size: fetched.bytes.length };
}

/** The `manifests` of an image index, each a descriptor; throws a plain `Error` saying what is wrong. */
function parseIndexEntries(bytes: Uint8Array): Record<string, unknown>[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new Error('not JSON');
  }
  if (!isObject(json)) throw new Error('not a JSON object');
  if (json['mediaType'] !== MEDIA_TYPE.imageIndex) {
    throw new Error(`its media type is ${JSON.stringify(json['mediaType'] ?? null)}`);
  }
  const manifests = json['manifests'];
  if (!Array.isArray(manifests)) throw new Error('it has no manifests');
  manifests.forEach((entry: unknown, i) => {
    if (!isObject(entry)) throw new Error(`manifests[${i}] is not a descriptor`);
    const { mediaType, digest, size, artifactType, annotations } = entry;
    if (typeof mediaType !== 'string') throw new Error(`manifests[${i}].mediaType is missing`);
    if (typeof digest !== 'string' || !isDigest(digest))
      throw new Error(`manifests[${i}].digest is not a sha256 digest`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      throw new Error(`manifests[${i}].size is not a size`);
    if (artifactType !== undefined && typeof artifactType !== 'string')
      throw new Error(`manifests[${i}].artifactType is not a string`);
    if (
      annotations !== undefined &&
      !(isObject(annotations) && Object.values(annotations).every((v) => typeof v === 'string'))
    )
      throw new Error(`manifests[${i}].annotations is not a map of strings`);
  });
  return manifests as Record<string, unknown>[];
}

/** A checked index entry as a {@link ReferrerDescriptor}, without the fields wasm-meta does not show. */
function toReferrerDescriptor(entry: Record<string, unknown>): ReferrerDescriptor {
  const out: ReferrerDescriptor = {
    mediaType: entry['mediaType'] as string,
    digest: entry['digest'] as string,
    size: entry['size'] as number,
  };
  if (entry['annotations'] !== undefined) out.annotations = entry['annotations'] as Annotations;
  if (entry['artifactType'] !== undefined) out.artifactType = entry['artifactType'] as string;
  return out;
}

/** A descriptor's JSON, keys in Go's order: `mediaType`, `digest`, `size`, `annotations`, `artifactType`. */
function descriptorJson(d: ReferrerDescriptor): Record<string, unknown> {
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.annotations !== undefined && Object.keys(d.annotations).length > 0
      ? { annotations: sortKeys(d.annotations) }
      : {}),
    ...(d.artifactType === undefined ? {} : { artifactType: d.artifactType }),
  };
}

/**
 * Checks an artifact type or media type: RFC 6838 `type/subtype`, as image-spec 1.1 requires.
 * Throws a `WasmMetaError` (`invalid-annotation`) naming `what`.
 */
export function checkMediaType(value: string, what: string): void {
  const name = '[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}';
  if (!new RegExp(`^${name}/${name}$`).test(value)) {
    throw new WasmMetaError(
      'invalid-annotation',
      `${what} ${JSON.stringify(value)} is not a media type (type/subtype, as application/vnd.cyclonedx+json)`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
