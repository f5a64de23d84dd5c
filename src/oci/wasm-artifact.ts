import { annotationOf } from '../fields.js';
import { WasmMetaError } from '../errors.js';
import type { WasmBinary } from '../metadata.js';
import { type Annotations, type ArtifactAnnotations, type ExplicitAnnotations, annotationsFor } from './annotations.js';
import {
  type Descriptor,
  MEDIA_TYPE,
  type WasmImageManifest,
  checkLayerDigests,
  parseWasmImageManifest,
  serializeConfig,
  serializeImageManifest,
} from './artifact.js';
import { type Sha256Factory, digestOf, isDigest } from './digest.js';
import type { BodySource } from './registry-client.js';
import type { BlobDescriptor, Repository } from './repository.js';

/** What a Wasm artifact is made of, besides the layer's bytes themselves. */
export interface WasmArtifactInputs {
  /** The metadata of the file that becomes the layer. */
  binary: WasmBinary;
  /** The layer's digest and size. */
  layer: BlobDescriptor;
  /** The layer's file name (`hello.wasm`). */
  layerTitle: string;
  /** The tag pushed to, if any: a SemVer tag gives the `version` annotation when the binary has none. */
  tag?: string | undefined;
  /** `--annotation` pairs and a parsed annotation file. */
  explicit?: ExplicitAnnotations | undefined;
  /** `created`: an RFC 3339 value, or `now` for the time of the push. */
  created?: string | undefined;
  /** `SOURCE_DATE_EPOCH`, as the environment gives it. */
  sourceDateEpoch?: string | undefined;
  /** Fail on an invalid metadata section instead of skipping its annotation. */
  strict?: boolean | undefined;
  /**
   * For a binary WIT package, its exports as oci-wasm writes them (`witPackageExports` of the
   * layer's bytes), in place of the bare names of its export section.
   */
  witPackageExports?: readonly string[] | undefined;
}

/** A Wasm artifact ready to push: every blob and the image manifest, digests computed. */
export interface WasmArtifact {
  annotations: ArtifactAnnotations;
  config: { descriptor: Descriptor; bytes: Uint8Array<ArrayBuffer> };
  layer: Descriptor;
  imageManifest: { text: string; bytes: Uint8Array<ArrayBuffer>; digest: string };
}

/**
 * Computes a Wasm OCI artifact (spec oci.md §2-§5): the annotations, the config blob, then the
 * image manifest over both. Nothing is sent, and the same inputs always give the same image
 * manifest digest: `created` is set only when asked for or from `SOURCE_DATE_EPOCH`.
 */
export function buildWasmArtifact(inputs: WasmArtifactInputs, sha256: Sha256Factory): WasmArtifact {
  const { binary } = inputs;
  const annotations = annotationsFor(binary, {
    layerTitle: inputs.layerTitle,
    tag: inputs.tag,
    explicit: withCreated(inputs.explicit, inputs.created),
    sourceDateEpoch: inputs.sourceDateEpoch,
    strict: inputs.strict === true,
  });
  const configBytes = new TextEncoder().encode(
    serializeConfig({
      created: annotations.imageManifest[annotationOf('created')] ?? '1970-01-01T00:00:00Z',
      author: annotations.imageManifest[annotationOf('authors')] ?? null,
      os: binary.kind === 'component' ? 'wasip2' : 'wasip1',
      layerDigests: [inputs.layer.digest],
      component:
        binary.kind === 'component'
          ? {
              exports: inputs.witPackageExports?.slice() ?? binary.exports.map((e) => e.name),
              imports: binary.imports.map((i) => i.name),
            }
          : null,
    }),
  );
  const config: Descriptor = {
    mediaType: MEDIA_TYPE.config,
    digest: digestOf(sha256, configBytes),
    size: configBytes.length,
    annotations: annotations.config,
  };
  const layer: Descriptor = {
    mediaType: MEDIA_TYPE.wasm,
    digest: inputs.layer.digest,
    size: inputs.layer.size,
    annotations: annotations.layer,
  };
  const text = serializeImageManifest(config, layer, annotations.imageManifest);
  const bytes = new TextEncoder().encode(text);
  return {
    annotations,
    config: { descriptor: config, bytes: configBytes },
    layer,
    imageManifest: { text, bytes, digest: digestOf(sha256, bytes) },
  };
}

/** What a push did. */
export interface PushedWasmArtifact {
  /** The image manifest's digest, as the registry confirmed it. */
  digest: string;
  /** Blobs that the registry already had and were not uploaded again. */
  skipped: string[];
  /** Blobs mounted from another repository of the registry instead of uploaded. */
  mounted: string[];
}

/** Options of {@link pushWasmArtifact}. */
export interface PushWasmArtifactOptions {
  /** The digest the user's reference pins (`reg/x:1@sha256:…`): the image manifest must have it. */
  digest?: string | undefined;
  /** Repositories of the same registry to mount the blobs from instead of uploading them. */
  mountFrom?: readonly string[];
}

/**
 * Pushes an artifact built by `buildWasmArtifact`: the blobs the registry lacks, then the image
 * manifest.
 *
 * Pushes an artifact to a repository opened for push, under a tag or its own digest: the layer
 * (its bytes from `layerBody`, asked for only when the registry lacks the blob and cannot mount
 * it from a repository of `options.mountFrom`), the config, then the image manifest. A pinned
 * digest (`options.digest`, or `tagOrDigest` itself) that is not the image manifest's is a
 * `digest-mismatch` before anything is sent: nothing is uploaded and nothing tagged.
 */
export async function pushWasmArtifact(
  repository: Repository,
  tagOrDigest: string,
  artifact: WasmArtifact,
  layerBody: BodySource,
  options: PushWasmArtifactOptions = {},
): Promise<PushedWasmArtifact> {
  const pinned = options.digest ?? (isDigest(tagOrDigest) ? tagOrDigest : undefined);
  if (pinned !== undefined && pinned !== artifact.imageManifest.digest) {
    throw new WasmMetaError(
      'digest-mismatch',
      `the reference pins ${pinned}, but the image manifest to push is ${artifact.imageManifest.digest}; nothing was pushed`,
    );
  }
  const skipped: string[] = [];
  const mounted: string[] = [];
  const blobs: Array<[BlobDescriptor, BodySource]> = [
    [artifact.layer, layerBody],
    [artifact.config.descriptor, () => artifact.config.bytes],
  ];
  for (const [blob, body] of blobs) {
    const outcome = await repository.pushBlob(blob, body, options);
    if (outcome === 'present') skipped.push(blob.digest);
    if (outcome === 'mounted') mounted.push(blob.digest);
  }
  const { digest } = await repository.pushImageManifest(tagOrDigest, artifact.imageManifest.bytes);
  return { digest, skipped, mounted };
}

/** A Wasm artifact's image manifest and config, fetched and verified; the layer not yet read. */
export interface PulledWasmArtifact {
  /** The image manifest's digest. */
  digest: string;
  /** The image manifest's exact bytes. */
  bytes: Uint8Array;
  imageManifest: WasmImageManifest;
  /** The config blob, its size and digest verified. */
  config: Uint8Array;
  /** Opens the layer as a stream that is verified as it goes and before it ends. */
  openLayer(): Promise<AsyncIterable<Uint8Array>>;
}

/**
 * Fetches a Wasm artifact's image manifest and config by tag or digest, verified, leaving the layer
 * to stream.
 *
 * Fetches a Wasm artifact by tag or digest (spec oci.md §2.4): the image manifest (its digest
 * verified, its layout checked: one Wasm layer, the Wasm config type) and the config blob
 * (size and digest verified, its `layerDigests` the image manifest's layer). The layer is streamed by {@link PulledWasmArtifact.openLayer}.
 */
export async function pullWasmArtifact(repository: Repository, reference: string): Promise<PulledWasmArtifact> {
  const fetched = await repository.fetchImageManifest(reference);
  const imageManifest = parseWasmImageManifest(fetched.bytes, fetched.contentType);
  const config = await repository.fetchBlob(imageManifest.config);
  checkLayerDigests(config, [imageManifest.layer]);
  return {
    digest: fetched.digest,
    bytes: fetched.bytes,
    imageManifest,
    config,
    openLayer: () => repository.fetchBlobStream(imageManifest.layer),
  };
}

/** What {@link inspectWasmArtifact} finds. */
export interface WasmArtifactInspection {
  digest: string;
  /** The image manifest as the registry stores it (parsed). */
  imageManifest: unknown;
  /** The config blob (parsed). */
  config: unknown;
  annotations: Annotations;
  layer: Descriptor;
  warnings: string[];
}

/** The image manifest and config of a Wasm artifact, digests verified, without the layer. */
export async function inspectWasmArtifact(repository: Repository, reference: string): Promise<WasmArtifactInspection> {
  const pulled = await pullWasmArtifact(repository, reference);
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(pulled.config));
  } catch {
    throw new WasmMetaError('invalid-artifact', 'the config blob is not JSON');
  }
  return {
    digest: pulled.digest,
    imageManifest: JSON.parse(new TextDecoder().decode(pulled.bytes)),
    config,
    annotations: pulled.imageManifest.annotations,
    layer: pulled.imageManifest.layer,
    warnings: pulled.imageManifest.warnings,
  };
}

/**
 * The file name to pull the layer to: its title annotation as a plain name (no directories,
 * never `.` or `..`), else `fallback`.
 */
export function layerFileName(imageManifest: WasmImageManifest, fallback: string): string {
  const title = imageManifest.layer.annotations?.[annotationOf('name')];
  if (title !== undefined) {
    const name = title.split(/[\\/]/).pop() ?? '';
    if (name !== '' && name !== '.' && name !== '..' && !name.includes('\0')) return name;
  }
  return fallback;
}

/**
 * Where the annotations that a pulled binary's own sections give differ from the image
 * manifest's, one line each (`key: the binary has …, the image manifest …`).
 */
export function annotationDifferences(binary: WasmBinary, imageManifest: WasmImageManifest): string[] {
  const fromSections = annotationsFor(binary).imageManifest;
  return Object.entries(fromSections)
    .filter(([key, value]) => imageManifest.annotations[key] !== value)
    .map(
      ([key, value]) =>
        `${key}: the binary has ${JSON.stringify(value)}, the image manifest ${JSON.stringify(imageManifest.annotations[key] ?? null)}`,
    );
}

/** Adds `created` (`now` is the time of the push) to the explicit annotations. */
function withCreated(
  explicit: ExplicitAnnotations | undefined,
  created: string | undefined,
): ExplicitAnnotations | undefined {
  if (created === undefined) return explicit;
  const value = created === 'now' ? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') : created;
  const pairs = explicit?.imageManifest ?? [];
  if (pairs.some(([key]) => key === annotationOf('created'))) {
    throw new WasmMetaError(
      'invalid-annotation',
      `--created and --annotation ${annotationOf('created')} are both given`,
    );
  }
  return { ...explicit, imageManifest: [...pairs, [annotationOf('created'), value]] };
}
