import { WasmMetaError } from '../errors.js';
import { isDigest } from './digest.js';

/** A parsed OCI reference: `registry/repository[:tag][@digest]`. */
export interface OciReference {
  /** The registry as written (`localhost:5000`, `ghcr.io`, `docker.io`). */
  registry: string;
  /** The host the API is served from (`registry-1.docker.io` for `docker.io`). */
  apiHost: string;
  /** The repository path (`acme/hello`, `library/hello`). */
  repository: string;
  /** The tag, if any (`latest` when neither a tag nor a digest is given). */
  tag: string | undefined;
  /** The digest, if the reference pins one. */
  digest: string | undefined;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DOCKER_HUB = 'docker.io';
/** Names of Docker Hub that Docker normalises to `docker.io` (distribution/reference's `legacyDefaultDomain`). */
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io']);

/**
 * Parses an OCI reference (`registry/repository[:tag][@digest]`), normalised as Docker does.
 *
 * Parses an OCI reference, normalised as Docker does: without a registry the reference is on
 * Docker Hub (`docker.io`, API host `registry-1.docker.io`; `index.docker.io` is the same), and
 * a one-segment repository there gets `library/` in front; without a tag or digest the tag is
 * `latest`. The first segment is a registry when it holds a `.` or a `:` or is `localhost`.
 * Throws a `WasmMetaError` (`invalid-reference`) for names and tags the distribution spec does
 * not allow, and for a URL (`https://…`): a reference has no scheme, as oras and Docker say,
 * and taking `http://` as "plain HTTP" would let credentials go unencrypted without
 * `--insecure`.
 */
export function parseReference(text: string): OciReference {
  const fail = (why: string): never => {
    throw new WasmMetaError('invalid-reference', `${JSON.stringify(text)} is not a valid OCI reference: ${why}`);
  };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1];
  if (scheme !== undefined) {
    const without = text.slice(scheme.length + 3);
    const fix =
      scheme.toLowerCase() === 'http'
        ? `; write ${JSON.stringify(without)}, with --insecure ${without.split('/')[0] ?? ''} if the registry speaks plain HTTP`
        : `; write ${JSON.stringify(without)}`;
    fail(`a reference has no scheme (${scheme}://)${fix}`);
  }
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) fail(`the digest must be sha256: and 64 lowercase hex digits`);
  }
  let registry = DOCKER_HUB;
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
    registry = DOCKER_HUB_ALIASES.has(first.toLowerCase()) ? DOCKER_HUB : first;
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isTag(tag)) {
      fail(
        tag.includes('+')
          ? `tags cannot hold "+" (SemVer build metadata), as in "${tag}"`
          : `"${tag}" is not a valid tag`,
      );
    }
  }
  let repository = rest;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (!isRepositoryName(repository))
    fail(`"${repository}" is not a valid repository name (lowercase letters, digits, separators)`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  if (registry.toLowerCase() !== registry && !registry.startsWith('[')) registry = registry.toLowerCase();
  return { registry, apiHost: registry === DOCKER_HUB ? 'registry-1.docker.io' : registry, repository, tag, digest };
}

/** Whether `name` is a repository name the distribution spec allows (`acme/hello`). */
export function isRepositoryName(name: string): boolean {
  return REPOSITORY.test(name);
}

/** Whether `tag` is a tag the distribution spec allows (`1.0.0`, `latest`; never `+`). */
export function isTag(tag: string): boolean {
  return TAG.test(tag);
}

/** `registry/repository:tag@digest`, as it would be written. */
export function formatReference(ref: OciReference, digest = ref.digest): string {
  return `${ref.registry}/${ref.repository}${ref.tag === undefined ? '' : `:${ref.tag}`}${digest === undefined ? '' : `@${digest}`}`;
}

/** The host without its port: `localhost:5000` → `localhost`, `[::1]:5000` → `::1`. */
export function hostName(hostAndPort: string): string {
  if (hostAndPort.startsWith('[')) return hostAndPort.slice(1, hostAndPort.indexOf(']'));
  const colon = hostAndPort.lastIndexOf(':');
  return colon < 0 ? hostAndPort : hostAndPort.slice(0, colon);
}

/** Whether a `host[:port]` is the local machine: `localhost`, `127.0.0.1` or `::1`. */
export function isLoopback(hostAndPort: string): boolean {
  const host = hostName(hostAndPort).toLowerCase();
  return host === 'localhost' || host === '127.0.0.1' || host === '::1';
}

/** The last segment of the repository (`acme/hello` → `hello`), for the layer's file name. */
export function lastSegment(ref: OciReference): string {
  return ref.repository.slice(ref.repository.lastIndexOf('/') + 1);
}
