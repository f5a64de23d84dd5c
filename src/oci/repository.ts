import { WasmMetaError } from '../errors.js';
import { type Descriptor, MEDIA_TYPE } from './artifact.js';
import { type Sha256Factory, digestOf, isDigest } from './digest.js';
import { MAX_ERROR_BODY, MAX_JSON_BODY, describeNetworkError, drain, readLimited } from './http.js';
import { isRepositoryName, isTag } from './reference.js';
import type { BodySource, RegistryClient } from './registry-client.js';

/** A blob as the distribution API addresses it: its digest, and the size it must have. */
export type BlobDescriptor = Pick<Descriptor, 'digest' | 'size'>;

/** The `Accept` header for image manifests: without the OCI type, distribution answers 404. */
export const IMAGE_MANIFEST_ACCEPT = [
  MEDIA_TYPE.imageManifest,
  MEDIA_TYPE.imageIndex,
  MEDIA_TYPE.dockerImageManifest,
  MEDIA_TYPE.dockerManifestList,
].join(', ');

/** The largest image manifest read into memory; registries refuse larger ones (distribution: 4 MiB). */
export const MAX_IMAGE_MANIFEST_BYTES = MAX_JSON_BODY;

/** Tag-list pages followed before giving up: a loop of `Link` headers must not run forever. */
const MAX_TAG_PAGES = 100;

/** Referrers-list pages followed before giving up, for the same reason. */
const MAX_REFERRERS_PAGES = 100;

/** Options of a {@link Repository}. */
export interface RepositoryOptions {
  /** The hash that every digest is verified with. */
  sha256: Sha256Factory;
  /**
   * Ask for `pull,push` access from the first request. A push needs it: a token obtained for
   * `pull` by the first `HEAD` would draw a second challenge on the upload (spec oci.md §7.1).
   */
  push?: boolean;
}

/** An image manifest (or index) as the registry sent it, its digest verified. */
export interface FetchedImageManifest {
  /** The digest of `bytes`. */
  digest: string;
  /** The exact bytes, which are what the digest covers. */
  bytes: Uint8Array;
  /** The `Content-Type` the registry sent, if any. */
  contentType: string | null;
}

/** What the registry made of a pushed image manifest. */
export interface PushedImageManifest {
  /** The digest of the bytes pushed, as the registry confirmed it. */
  digest: string;
  /**
   * The `OCI-Subject` header: a registry with the referrers API sends it for a manifest with a
   * `subject`, meaning that it lists the referrer itself (distribution-spec 1.1).
   */
  subject: string | null;
}

/** One page of the referrers API's answer: an image index, as the registry sent it. */
export interface ReferrersPage {
  /** The image index's bytes (its `manifests` are the referrers). */
  bytes: Uint8Array;
  /** The filters the registry applied (`OCI-Filters-Applied`), such as `artifactType`. */
  filtersApplied: string[];
}

/**
 * One repository of one registry: the only code that speaks the distribution API.
 *
 * One repository of one registry, and the only place that speaks the distribution API
 * (spec oci.md §6): it builds every `/v2/<name>/…` path, and verifies every digest and size
 * it receives or is told. Transport, retries and authentication belong to its
 * {@link RegistryClient}. Modelled on oras-go's `registry/remote.Repository`, referrers API
 * included; what is attached and the referrers tag's index are built in `referrers.ts`.
 */
export class Repository {
  /** The token scope of every request: `repository:<name>:pull` or `…:pull,push`. */
  readonly scope: string;
  /** The hash that digests are computed and verified with. */
  readonly sha256: Sha256Factory;

  /** Throws a `WasmMetaError` (`invalid-reference`) for a name the distribution spec does not allow. */
  constructor(
    private readonly client: RegistryClient,
    readonly name: string,
    options: RepositoryOptions,
  ) {
    if (!isRepositoryName(name)) {
      throw new WasmMetaError('invalid-reference', `${JSON.stringify(name)} is not a valid repository name`);
    }
    this.sha256 = options.sha256;
    this.scope = `repository:${name}:${options.push === true ? 'pull,push' : 'pull'}`;
  }

  /** The registry as the user wrote it, for messages. */
  get registry(): string {
    return this.client.registry;
  }

  /** Whether the repository has the blob (`HEAD`). */
  async blobExists(digest: string): Promise<boolean> {
    const response = await this.client.request('HEAD', this.blobPath(digest), {
      scope: this.scope,
      expect: [200, 404],
    });
    await drain(response);
    return response.status === 200;
  }

  /**
   * Fetches a small blob (a config) into memory. It is refused when its descriptor is larger
   * than `maxBytes`, cut off as soon as it runs past its descriptor's size, and its size and
   * digest are checked (`digest-mismatch`).
   */
  async fetchBlob(blob: BlobDescriptor, maxBytes = MAX_JSON_BODY): Promise<Uint8Array> {
    if (blob.size > maxBytes) {
      throw new WasmMetaError(
        'registry',
        `${this.registry}: the blob ${blob.digest} of ${blob.size} bytes is larger than the limit of ${maxBytes}`,
      );
    }
    const response = await this.client.request('GET', this.blobPath(blob.digest), {
      scope: this.scope,
      expect: [200],
    });
    await this.refuseDeclaredOverrun(response, blob);
    const bytes = await readLimited(response, blob.size, () => this.overrun(blob));
    this.checkBlob(blob, bytes.length, digestOf(this.sha256, bytes));
    return bytes;
  }

  /**
   * Fetches a blob of any size as a stream of chunks. The stream fails as soon as the body
   * runs past the descriptor's size, and checks the size and digest after the last chunk,
   * before it ends: a caller that commits only once iteration completes (an atomic write)
   * never commits bytes that were not verified.
   */
  async fetchBlobStream(blob: BlobDescriptor): Promise<AsyncIterable<Uint8Array>> {
    const response = await this.client.request('GET', this.blobPath(blob.digest), {
      scope: this.scope,
      expect: [200],
    });
    await this.refuseDeclaredOverrun(response, blob);
    return this.verifiedChunks(response, blob);
  }

  /**
   * Uploads a blob unless the repository has it (`HEAD`). With `mountFrom`, it first asks the
   * registry to mount the blob from each of those repositories of the same registry
   * (`POST …/uploads/?mount=<digest>&from=<repository>`): 201 means mounted, nothing is uploaded;
   * 202 means the registry started an upload instead; the last such one is used. Otherwise `POST`
   * starts an upload and a monolithic `PUT` with `?digest=` appended to the returned `Location`
   * (which may carry state, so it is never rebuilt) sends `body`. A transient failure of the
   * `PUT` starts the upload session again, with a fresh `body`.
   */
  async pushBlob(
    blob: BlobDescriptor,
    body: BodySource,
    options: { mountFrom?: readonly string[] } = {},
  ): Promise<'present' | 'mounted' | 'uploaded'> {
    if (await this.blobExists(blob.digest)) return 'present';
    const uploads = this.path('blobs', 'uploads/');
    let session: Response | undefined;
    for (const from of new Set(options.mountFrom ?? [])) {
      if (from === this.name || !isRepositoryName(from)) continue;
      const query = `?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(from)}`;
      const answer = await this.client.request('POST', uploads + query, {
        scope: `${this.scope} repository:${from}:pull`,
        expect: [201, 202],
      });
      await drain(answer);
      if (answer.status === 201) return 'mounted';
      session = answer;
    }
    await this.client.retrying(`the upload of ${blob.digest}`, async () => {
      const start = session ?? (await this.client.request('POST', uploads, { scope: this.scope, expect: [202] }));
      session = undefined;
      await drain(start);
      const location = start.headers.get('location');
      if (location === null) {
        throw new WasmMetaError('registry', `${this.registry}: the upload was started without a Location`);
      }
      const url = new URL(location, new URL(uploads, this.client.origin));
      const digest = `digest=${encodeURIComponent(blob.digest)}`;
      url.search = url.search === '' ? `?${digest}` : `${url.search}&${digest}`;
      const done = await this.client.request('PUT', url.href, {
        scope: this.scope,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
        body,
        expect: [201],
        retry: false,
      });
      await drain(done);
      const echoed = done.headers.get('docker-content-digest');
      if (echoed !== null && echoed !== blob.digest) {
        throw new WasmMetaError(
          'digest-mismatch',
          `${this.registry}: the registry stored the blob ${blob.digest} as ${echoed}`,
        );
      }
    });
    return 'uploaded';
  }

  /**
   * Fetches an image manifest (or an index) by tag or digest, at most
   * {@link MAX_IMAGE_MANIFEST_BYTES}. Its digest must equal the digest it was fetched by, and
   * the `Docker-Content-Digest` the registry sent.
   */
  async fetchImageManifest(reference: string): Promise<FetchedImageManifest> {
    const response = await this.client.request('GET', this.manifestPath(reference), {
      scope: this.scope,
      headers: { accept: IMAGE_MANIFEST_ACCEPT },
      expect: [200, 404],
    });
    if (response.status === 404) throw await this.notFound(response, reference);
    return this.verifiedImageManifest(reference, response);
  }

  /**
   * Like {@link fetchImageManifest}, but `undefined` when the registry answers 404: for a tag
   * whose absence is normal, such as a referrers tag that nothing was attached under yet.
   */
  async fetchImageManifestIfPresent(reference: string): Promise<FetchedImageManifest | undefined> {
    const response = await this.client.request('GET', this.manifestPath(reference), {
      scope: this.scope,
      headers: { accept: IMAGE_MANIFEST_ACCEPT },
      expect: [200, 404],
    });
    if (response.status === 404) {
      await drain(response);
      return undefined;
    }
    return this.verifiedImageManifest(reference, response);
  }

  /**
   * Pushes an image manifest under a tag (or its own digest). The registry stores it byte for
   * byte; the digest it echoes must be the digest of `bytes`.
   */
  async pushImageManifest(
    reference: string,
    bytes: Uint8Array<ArrayBuffer>,
    mediaType: string = MEDIA_TYPE.imageManifest,
  ): Promise<PushedImageManifest> {
    const path = this.manifestPath(reference);
    const digest = digestOf(this.sha256, bytes);
    if (isDigest(reference) && reference !== digest) {
      throw new WasmMetaError(
        'invalid-reference',
        `an image manifest with the digest ${digest} pushed as ${reference}`,
      );
    }
    const response = await this.client.request('PUT', path, {
      scope: this.scope,
      headers: { 'content-type': mediaType },
      body: () => bytes,
      expect: [201],
    });
    await drain(response);
    const echoed = response.headers.get('docker-content-digest');
    if (echoed !== null && echoed !== digest) {
      throw new WasmMetaError(
        'digest-mismatch',
        `${this.registry}: the registry stored the image manifest as ${echoed}, but its digest is ${digest}`,
      );
    }
    return { digest, subject: response.headers.get('oci-subject') };
  }

  /**
   * The referrers API (distribution-spec 1.1): the pages of `GET /v2/<name>/referrers/<digest>`
   * (`?artifactType=` when given), following `Link: <…>; rel="next"`. `undefined` when the
   * registry does not have the API: it answers 404 (distribution 2.8 does), or something other
   * than an image index, as oras-go decides. The caller then reads the referrers tag instead.
   */
  async referrers(digest: string, artifactType?: string): Promise<ReferrersPage[] | undefined> {
    if (!isDigest(digest)) {
      throw new WasmMetaError('invalid-reference', `${JSON.stringify(digest)} is not a sha256 digest`);
    }
    const first = this.path('referrers', digest);
    const pages: ReferrersPage[] = [];
    let next: string | undefined =
      artifactType === undefined ? first : `${first}?artifactType=${encodeURIComponent(artifactType)}`;
    for (let page = 0; next !== undefined; page++) {
      if (page === MAX_REFERRERS_PAGES) {
        throw new WasmMetaError('registry', `${this.registry}: the referrers of ${digest} fill over ${page} pages`);
      }
      const response = await this.client.request('GET', next, {
        scope: this.scope,
        headers: { accept: MEDIA_TYPE.imageIndex },
        expect: [200, 404],
      });
      const contentType = response.headers.get('content-type')?.split(';')[0]?.trim();
      if (response.status === 404 || contentType !== MEDIA_TYPE.imageIndex) {
        await drain(response);
        if (page === 0) return undefined;
        throw new WasmMetaError(
          'registry',
          `${this.registry}: page ${page + 1} of the referrers of ${digest} is not an image index`,
        );
      }
      const bytes = await this.client.readBody(response, MAX_JSON_BODY, 'the referrers list');
      const filters = response.headers.get('oci-filters-applied') ?? '';
      pages.push({
        bytes,
        filtersApplied: filters
          .split(',')
          .map((f) => f.trim())
          .filter((f) => f !== ''),
      });
      next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get('link') ?? '')?.[1];
    }
    return pages;
  }

  /**
   * The repository's tags, following `Link: <…>; rel="next"` pagination. `pageSize` asks for
   * pages of that many tags (`?n=`); by default the registry chooses.
   */
  async listTags(options: { pageSize?: number } = {}): Promise<string[]> {
    const tags: string[] = [];
    const first = this.path('tags', 'list');
    let next: string | undefined = options.pageSize === undefined ? first : `${first}?n=${options.pageSize}`;
    for (let page = 0; next !== undefined; page++) {
      if (page === MAX_TAG_PAGES) {
        throw new WasmMetaError('registry', `${this.registry}: the tag list of ${this.name} has over ${page} pages`);
      }
      const response = await this.client.request('GET', next, { scope: this.scope, expect: [200, 404] });
      if (response.status === 404) throw await this.notFound(response, undefined);
      const body = await this.client.readBody(response, MAX_JSON_BODY, 'the tag list');
      let json: { tags?: unknown };
      try {
        json = JSON.parse(new TextDecoder().decode(body)) as { tags?: unknown };
      } catch {
        throw new WasmMetaError('registry', `${this.registry}: the tag list of ${this.name} is not JSON`);
      }
      if (Array.isArray(json.tags)) tags.push(...json.tags.filter((t): t is string => typeof t === 'string'));
      next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get('link') ?? '')?.[1];
    }
    return tags;
  }

  /**
   * A 404 for what the user named, as `not-found`: the registry's error code tells a missing
   * repository (`NAME_UNKNOWN`) from a missing tag or digest (`MANIFEST_UNKNOWN`).
   */
  private async notFound(response: Response, reference: string | undefined): Promise<WasmMetaError> {
    const body = await readLimited(response, MAX_ERROR_BODY, () => new Error('large')).catch(() => new Uint8Array());
    const codes = [...new TextDecoder().decode(body).matchAll(/"code"\s*:\s*"([A-Z_]{1,40})"/g)].map((m) => m[1]);
    const what =
      reference === undefined || codes.includes('NAME_UNKNOWN')
        ? `the repository ${this.name}`
        : `${isDigest(reference) ? 'the digest' : 'the tag'} ${reference} of ${this.name}`;
    const detail = codes.length === 0 ? '' : ` (${codes.join(', ')})`;
    return new WasmMetaError('not-found', `${this.registry}: ${what} was not found${detail}`);
  }

  /** An image manifest's bytes, read within bounds, their digest checked against what was asked and echoed. */
  private async verifiedImageManifest(reference: string, response: Response): Promise<FetchedImageManifest> {
    const bytes = await this.client.readBody(response, MAX_IMAGE_MANIFEST_BYTES, 'the image manifest');
    const digest = digestOf(this.sha256, bytes);
    if (isDigest(reference) && digest !== reference) {
      throw new WasmMetaError(
        'digest-mismatch',
        `${this.registry}: the image manifest has the digest ${digest}, not ${reference}`,
      );
    }
    const echoed = response.headers.get('docker-content-digest');
    if (echoed !== null && echoed !== digest) {
      throw new WasmMetaError(
        'digest-mismatch',
        `${this.registry}: the registry says the image manifest is ${echoed}, but its bytes hash to ${digest}`,
      );
    }
    return { digest, bytes, contentType: response.headers.get('content-type') };
  }

  /** `/v2/<name>/<kind>/<rest>`: the one place where API paths are made. */
  private path(kind: 'blobs' | 'manifests' | 'tags' | 'referrers', rest: string): string {
    return `/v2/${this.name}/${kind}/${rest}`;
  }

  private blobPath(digest: string): string {
    if (!isDigest(digest)) {
      throw new WasmMetaError('invalid-reference', `${JSON.stringify(digest)} is not a sha256 digest`);
    }
    return this.path('blobs', digest);
  }

  private manifestPath(reference: string): string {
    if (!isTag(reference) && !isDigest(reference)) {
      throw new WasmMetaError('invalid-reference', `${JSON.stringify(reference)} is neither a tag nor a sha256 digest`);
    }
    return this.path('manifests', reference);
  }

  /** Chunks of a blob's body, cut off past the declared size, verified after the last one. */
  private async *verifiedChunks(response: Response, blob: BlobDescriptor): AsyncGenerator<Uint8Array> {
    const hash = this.sha256();
    let size = 0;
    const reader = response.body?.getReader();
    try {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array> | undefined;
        try {
          next = await reader?.read();
        } catch (error) {
          if (error instanceof WasmMetaError) throw error;
          throw new WasmMetaError(
            'network',
            `${this.registry}: the download of the blob ${blob.digest} failed: ${describeNetworkError(error)}`,
            undefined,
            { cause: error },
          );
        }
        if (next === undefined || next.done) break;
        size += next.value.length;
        if (size > blob.size) throw this.overrun(blob);
        hash.update(next.value);
        yield next.value;
      }
    } finally {
      await reader?.cancel().catch(() => undefined);
    }
    this.checkBlob(blob, size, hash.digest());
  }

  /** A `Content-Length` larger than the descriptor says is refused before reading. */
  private async refuseDeclaredOverrun(response: Response, blob: BlobDescriptor): Promise<void> {
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > blob.size) {
      await drain(response);
      throw this.overrun(blob);
    }
  }

  private overrun(blob: BlobDescriptor): WasmMetaError {
    return new WasmMetaError(
      'digest-mismatch',
      `${this.registry}: the blob ${blob.digest} is longer than the ${blob.size} bytes its descriptor says`,
    );
  }

  private checkBlob(blob: BlobDescriptor, size: number, digest: string): void {
    if (size !== blob.size) {
      throw new WasmMetaError(
        'digest-mismatch',
        `${this.registry}: the blob ${blob.digest} has ${size} bytes, not the ${blob.size} its descriptor says`,
      );
    }
    if (digest !== blob.digest) {
      throw new WasmMetaError('digest-mismatch', `${this.registry}: the blob ${blob.digest} hashes to ${digest}`);
    }
  }
}
