import { basename } from 'node:path';
import { type Annotations, checkedAnnotations } from '../oci/annotations.js';
import type { Descriptor } from '../oci/artifact.js';
import { formatReference } from '../oci/reference.js';
import {
  type ReferrerDescriptor,
  type ReferrersList,
  attachBlob,
  checkMediaType,
  listReferrers,
  subjectDescriptor,
} from '../oci/referrers.js';
import { Repository } from '../oci/repository.js';
import { referenceToPull } from '../oci/target.js';
import { layerFileBody } from './layer-file.js';
import { pulledReference } from './oci.js';
import { type RegistryOptions, resolveTarget } from './oci-target.js';
import { type Progress, startProgress } from './progress.js';
import { fileChunks, ioError } from './read-file.js';
import { nodeSha256 } from './sha256.js';

/** Options of {@link attachFile}. */
export interface AttachFileOptions extends RegistryOptions {
  /** The artifact's type, a media type (`application/vnd.cyclonedx+json`). */
  artifactType: string;
  /** The layer's media type; the artifact type by default. */
  mediaType?: string | undefined;
  /** `--annotation KEY=VALUE` pairs: the attached artifact's image manifest annotations. */
  annotations?: ReadonlyArray<readonly [string, string]> | undefined;
  /** Show progress on standard error (when it is a terminal). Default true. */
  progress?: boolean | undefined;
}

/** The manifest something is attached to, or whose referrers are listed. */
export interface Subject extends Descriptor {
  /** `registry/repository:tag@sha256:…`. */
  reference: string;
}

/** What {@link attachFile} did. */
export interface AttachResult {
  /** The attached artifact, pinned: `registry/repository@sha256:…`. */
  reference: string;
  /** The attached artifact's image manifest digest. */
  digest: string;
  subject: Subject;
  artifactType: string;
  /** The attached file's descriptor (media type, digest, size, title). */
  layer: Descriptor;
  annotations: Annotations;
  /** The attached artifact's image manifest, as its exact bytes (compact JSON). */
  manifest: string;
  /** `api`, or the referrers tag that lists it and whether it was listed there already. */
  listing: 'api' | { tag: string; alreadyListed: boolean };
  /** Blobs that the registry already had and were not uploaded again. */
  skipped: string[];
}

/**
 * Attaches a file to a pushed manifest as an OCI 1.1 artifact, as `wasm-meta attach` does.
 *
 * Attaches a file to the manifest a reference names (a tag or a digest): the file becomes the
 * one layer (titled with its file name) of an image manifest with `artifactType`, the empty
 * config and `subject`, pushed by digest; the registry's referrers API lists it, or else the
 * referrers tag is updated (see `attachBlob`). The same file, type and annotations give the
 * same digest, and attaching them again adds nothing to the list.
 */
export async function attachFile(
  referenceText: string,
  path: string,
  options: AttachFileOptions,
): Promise<AttachResult> {
  checkMediaType(options.artifactType, 'the artifact type');
  if (options.mediaType !== undefined) checkMediaType(options.mediaType, 'the media type');
  const annotations = checkedAnnotations(options.annotations ?? []);
  const target = await resolveTarget(referenceText, options);
  const repository = new Repository(target.client, target.reference.repository, { sha256: nodeSha256, push: true });
  const tagOrDigest = await referenceToPull(target, repository);
  const subject = await subjectDescriptor(repository, tagOrDigest);
  const blob = await hashFile(path);
  let progress: Progress | undefined;
  const body = () => {
    if (options.progress !== false) progress ??= startProgress(`attaching ${basename(path)}`, blob.size);
    return layerFileBody(path, blob.size, (bytes) => progress?.advance(bytes));
  };
  let attached;
  try {
    attached = await attachBlob(repository, subject, blob, body, {
      artifactType: options.artifactType,
      mediaType: options.mediaType,
      title: basename(path),
      annotations,
    });
  } finally {
    progress?.done();
  }
  return {
    reference: formatReference({ ...target.reference, tag: undefined }, attached.digest),
    digest: attached.digest,
    subject: { reference: formatReference(pulledReference(target, tagOrDigest), subject.digest), ...subject },
    artifactType: options.artifactType,
    layer: attached.layer,
    annotations: attached.manifest.descriptor.annotations ?? {},
    manifest: attached.manifest.text,
    listing: attached.listing,
    skipped: attached.skipped,
  };
}

/** Options of {@link referrersOf}. */
export interface ReferrersOptions extends RegistryOptions {
  /** Only the referrers of this artifact type. */
  artifactType?: string | undefined;
}

/** What {@link referrersOf} finds. */
export interface ReferrersResult {
  subject: Subject;
  referrers: ReferrerDescriptor[];
  /** `api`, or the referrers tag that was read. */
  source: ReferrersList['source'];
}

/**
 * Lists what is attached to the manifest a reference names, as `wasm-meta referrers` does.
 *
 * Lists the artifacts attached to the manifest a reference names: from the registry's referrers
 * API, or else from the referrers tag (see `listReferrers`).
 */
export async function referrersOf(referenceText: string, options: ReferrersOptions = {}): Promise<ReferrersResult> {
  const target = await resolveTarget(referenceText, options);
  const repository = new Repository(target.client, target.reference.repository, { sha256: nodeSha256 });
  const tagOrDigest = await referenceToPull(target, repository);
  const subject = await subjectDescriptor(repository, tagOrDigest);
  const list = await listReferrers(repository, subject.digest, { artifactType: options.artifactType });
  return {
    subject: { reference: formatReference(pulledReference(target, tagOrDigest), subject.digest), ...subject },
    ...list,
  };
}

/** A file's SHA-256 and size, read once in chunks. */
async function hashFile(path: string): Promise<{ digest: string; size: number }> {
  const hash = nodeSha256();
  let size = 0;
  try {
    for await (const chunk of fileChunks(path)) {
      hash.update(chunk);
      size += chunk.length;
    }
  } catch (error) {
    throw ioError(path, error);
  }
  return { digest: hash.digest(), size };
}
