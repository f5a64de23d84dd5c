import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { WasmMetaError } from '../errors.js';
import { OCI_PREFIX } from '../fields.js';
import type { Annotations, ExplicitAnnotations } from '../oci/annotations.js';
import { type Descriptor, MEDIA_TYPE } from '../oci/artifact.js';
import { type OciReference, formatReference } from '../oci/reference.js';
import { type AttachedArtifact, attachArtifact, listReferrers } from '../oci/referrers.js';
import { Repository } from '../oci/repository.js';
import { type OciTarget, checkPackageVersion, pushDestination, referenceToPull } from '../oci/target.js';
import {
  annotationDifferences,
  buildWasmArtifact,
  inspectWasmArtifact,
  layerFileName,
  pullWasmArtifact,
  pushWasmArtifact,
  type WasmArtifactInspection,
} from '../oci/wasm-artifact.js';
import { type RegistryOptions, resolveTarget } from './oci-target.js';
import { type Progress, startProgress } from './progress.js';
import { mayBeWitPackage, witPackageExports } from '../sections/wit-package.js';
import { layerFileBody, readLayerFile } from './layer-file.js';
import { type ReadStats, readMetadataFromFile } from './read-file.js';
import { nodeSha256 } from './sha256.js';
import { writeFileAtomic } from './write-file.js';

/** A binary WIT package is types only: one larger than this is read no further for its export names. */
const MAX_WIT_PACKAGE_BYTES = 16 * 1024 * 1024;

/** Options of {@link pushFile}. */
export interface PushOptions extends RegistryOptions {
  /** `--annotation` pairs and a parsed annotation file. */
  explicit?: ExplicitAnnotations;
  /** `created`: an RFC 3339 value, or `now` for the time of the push. */
  created?: string;
  /** Fail when a metadata section is invalid instead of skipping its annotation. */
  strict?: boolean;
  /** Push a wkg package even when its `version` section is not the version it is pushed as. */
  force?: boolean;
  /** Show progress on standard error (when it is a terminal). Default true. */
  progress?: boolean;
  /**
   * Also attach a CycloneDX SBOM of the file, built from its own metadata, as an OCI 1.1
   * referrer of the pushed image manifest (`push --sbom`). Its timestamp is the image's
   * `created` annotation, when there is one, so that the same push gives the same SBOM.
   */
  sbom?: boolean;
  /**
   * Repositories of the same registry that may hold the blobs already (`acme/hello`): the
   * registry is asked to mount them from there instead of receiving them again. Repositories
   * this process pushed the same blob to or pulled it from are tried as well.
   */
  mountFrom?: readonly string[];
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
  /** Blobs mounted from another repository of the registry instead of uploaded. */
  mounted: string[];
  /** With `sbom`: the attached SBOM, its artifact type and how the registry lists it. */
  sbom?: SbomAttachment;
  warnings: string[];
}

/** An SBOM attached to a pushed image manifest (`push --sbom`). */
export interface SbomAttachment {
  /** The artifact type, `application/vnd.cyclonedx+json`. */
  artifactType: string;
  /** The digest of the attached artifact's image manifest. */
  digest: string;
  /** The SBOM blob's descriptor (its digest is the SHA-256 of the document). */
  layer: Descriptor;
  /** How the registry lists it: its referrers API, or the referrers tag. */
  listing: AttachedArtifact['listing'];
}

/**
 * Pushes a WebAssembly file to a registry as a Wasm OCI artifact, as `wasm-meta push` does.
 *
 * Pushes a WebAssembly file as a Wasm OCI artifact (spec oci.md §2-§6): the layer and config
 * blobs (each skipped if the registry has it), then the image manifest, whose annotations come
 * from the file's metadata sections and the explicit annotations. The same file and options
 * give the same image manifest digest: `created` is set only when asked for or from
 * `SOURCE_DATE_EPOCH`.
 *
 * The file is read once for its digest and metadata together, and once more only if the
 * registry lacks the layer; `stats`, if given, receives what reading it cost.
 */
export async function pushFile(
  path: string,
  referenceText: string,
  options: PushOptions = {},
  stats?: ReadStats,
): Promise<PushResult> {
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const env = options.env ?? process.env;
  const target = await resolveTarget(referenceText, { ...options, onWarning: warn });
  const destination = pushDestination(target, referenceText);
  if (stats !== undefined) Object.assign(stats, { fileSize: 0, bytesRead: 0, reads: 0 });
  const file = await readLayerFile(path, nodeSha256, stats);
  const witPackage =
    mayBeWitPackage(file.binary) && file.size <= MAX_WIT_PACKAGE_BYTES
      ? witPackageExports(new Uint8Array(await readFile(path)))
      : undefined;
  const artifact = buildWasmArtifact(
    {
      binary: file.binary,
      layer: file,
      layerTitle: target.layerTitle,
      tag: destination.tag,
      explicit: options.explicit,
      created: options.created,
      sourceDateEpoch: env['SOURCE_DATE_EPOCH'],
      strict: options.strict,
      witPackageExports: witPackage,
    },
    nodeSha256,
  );
  checkPackageVersion(target, file.binary.version, options.force === true);
  artifact.annotations.warnings.forEach(warn);
  // Built before anything is pushed, so that a file the SBOM cannot describe pushes nothing. The
  // CycloneDX library is loaded only here.
  const created = artifact.annotations.imageManifest[`${OCI_PREFIX}created`];
  const sbom =
    options.sbom === true
      ? await (
          await import('./sbom.js')
        ).buildSbomFromFile(path, { ...(created === undefined ? {} : { created }), strict: options.strict === true })
      : undefined;
  const repository = new Repository(target.client, target.reference.repository, { sha256: nodeSha256, push: true });
  // The progress line starts with the upload, which does not happen when the registry has the layer.
  let progress: Progress | undefined;
  const layerBody = () => {
    if (options.progress !== false) progress ??= startProgress(`pushing ${basename(path)}`, file.size);
    return layerFileBody(path, file.size, (bytes) => progress?.advance(bytes), stats);
  };
  const home = `${target.client.origin}/${target.reference.repository}`;
  const mountFrom = [...(options.mountFrom ?? []), ...blobHomes.repositories(target.client.origin, file.digest)];
  let pushed;
  try {
    pushed = await pushWasmArtifact(repository, destination.tagOrDigest, artifact, layerBody, {
      digest: destination.digest,
      mountFrom,
    });
  } finally {
    progress?.done();
  }
  blobHomes.remember(home, file.digest);
  let attachment: SbomAttachment | undefined;
  if (sbom !== undefined) {
    const subject = {
      mediaType: MEDIA_TYPE.imageManifest,
      digest: pushed.digest,
      size: artifact.imageManifest.bytes.length,
    };
    const attached = await attachArtifact(repository, subject, new Uint8Array(sbom.bytes), {
      artifactType: sbom.mediaType,
      title: `${basename(path)}.cdx.json`,
    });
    attachment = {
      artifactType: sbom.mediaType,
      digest: attached.digest,
      layer: attached.layer,
      listing: attached.listing,
    };
  }
  return {
    reference: formatReference(target.reference, pushed.digest),
    digest: pushed.digest,
    imageManifest: artifact.imageManifest.text,
    annotations: artifact.annotations.imageManifest,
    skipped: pushed.skipped,
    mounted: pushed.mounted,
    ...(attachment === undefined ? {} : { sbom: attachment }),
    warnings,
  };
}

/** What {@link inspectReference} finds: the artifact, and the reference it was found at. */
export interface Inspection extends WasmArtifactInspection {
  /** `registry/repository:tag@sha256:…`. */
  reference: string;
  /** How many artifacts are attached to it (OCI 1.1 referrers); `null` if they could not be listed. */
  referrers: number | null;
}

/**
 * Reads the image manifest and config of a reference, checking their digests, without the
 * layer, and counts its referrers.
 */
export async function inspectReference(referenceText: string, options: RegistryOptions = {}): Promise<Inspection> {
  const target = await resolveTarget(referenceText, options);
  const repository = new Repository(target.client, target.reference.repository, { sha256: nodeSha256 });
  const tagOrDigest = await referenceToPull(target, repository);
  const inspection = await inspectWasmArtifact(repository, tagOrDigest);
  let referrers: number | null = null;
  try {
    referrers = (await listReferrers(repository, inspection.digest)).referrers.length;
  } catch (error) {
    // The artifact itself was read: a registry that fails only at listing its referrers is a warning.
    if (!(error instanceof WasmMetaError)) throw error;
    inspection.warnings.push(`the referrers could not be listed: ${error.message}`);
  }
  return {
    reference: formatReference(pulledReference(target, tagOrDigest), inspection.digest),
    ...inspection,
    referrers,
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
  /** `registry/repository:tag@sha256:…`. */
  reference: string;
  /** The image manifest's digest. */
  digest: string;
  /** The file's size in bytes. */
  size: number;
  /** The layer's descriptor: the file's media type, digest and size, and its annotations. */
  layer: Descriptor;
  warnings: string[];
}

/**
 * Pulls a Wasm OCI artifact to a file, verified, as `wasm-meta pull` does.
 *
 * Pulls a Wasm OCI artifact to a file: checks the media types and that there is one Wasm layer,
 * verifies the size and digest of the config and of the layer while it streams, and only then
 * renames the temporary file over the output. With `verify`, the pulled binary's sections must
 * also agree with the image manifest annotations, or nothing is written.
 */
export async function pullToFile(referenceText: string, options: PullOptions = {}): Promise<PullResult> {
  const target = await resolveTarget(referenceText, options);
  const repository = new Repository(target.client, target.reference.repository, { sha256: nodeSha256 });
  const tagOrDigest = await referenceToPull(target, repository);
  const pulled = await pullWasmArtifact(repository, tagOrDigest);
  const { imageManifest } = pulled;
  const path = options.output ?? layerFileName(imageManifest, target.layerTitle);
  const progress =
    options.progress === false ? undefined : startProgress(`pulling ${basename(path)}`, imageManifest.layer.size);
  // With --verify, the sections are read from the temporary file: a binary that disagrees with
  // the annotations is not written, as one that fails its digest is not.
  const verify = async (temp: string): Promise<void> => {
    const differences = annotationDifferences(await readMetadataFromFile(temp), imageManifest);
    if (differences.length > 0) {
      throw new WasmMetaError(
        'metadata-mismatch',
        `${path}: not written: the metadata sections disagree with the image manifest annotations:\n  ${differences.join('\n  ')}`,
      );
    }
  };
  try {
    await writeFileAtomic(path, counted(await pulled.openLayer(), progress), options.verify ? { verify } : {});
  } finally {
    progress?.done();
  }
  blobHomes.remember(`${target.client.origin}/${target.reference.repository}`, imageManifest.layer.digest);
  return {
    path,
    reference: formatReference(pulledReference(target, tagOrDigest), pulled.digest),
    digest: pulled.digest,
    size: imageManifest.layer.size,
    layer: imageManifest.layer,
    warnings: imageManifest.warnings,
  };
}

/**
 * The repositories this process pushed each layer to or pulled it from, per registry origin:
 * a later push of the same layer to another repository of that registry mounts it from there.
 */
const blobHomes = {
  homes: new Map<string, Set<string>>(),
  /** `home` is `<origin>/<repository>`. */
  remember(home: string, digest: string): void {
    const set = this.homes.get(digest) ?? new Set<string>();
    set.add(home);
    this.homes.set(digest, set);
  },
  repositories(origin: string, digest: string): string[] {
    return [...(this.homes.get(digest) ?? [])]
      .filter((home) => home.startsWith(`${origin}/`))
      .map((home) => home.slice(origin.length + 1));
  },
};

/** The reference pulled: a package name without a version gets the version that was picked. */
export function pulledReference(target: OciTarget, tagOrDigest: string): OciReference {
  return target.needsVersion ? { ...target.reference, tag: tagOrDigest } : target.reference;
}

/** Chunks passed through, counted on the progress line. */
async function* counted(chunks: AsyncIterable<Uint8Array>, progress: Progress | undefined): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    progress?.advance(chunk.length);
    yield chunk;
  }
}
