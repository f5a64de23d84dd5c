import { WasmMetaError } from '../errors.js';
import { compareSemver, isSemver } from '../values/semver.js';
import type { Credentials } from './auth.js';
import { MAX_JSON_BODY, describeNetworkError, readLimited } from './http.js';
import { type OciReference, hostName, isLoopback, lastSegment, parseReference } from './reference.js';
import { RegistryClient, type RegistryClientOptions } from './registry-client.js';
import type { Repository } from './repository.js';
import { DEFAULT_TIMEOUT_SECONDS } from './transport.js';
import {
  FALLBACK_NAMESPACE_REGISTRIES,
  type WkgConfig,
  type WkgRegistryLocation,
  emptyWkgConfig,
  parseWkgRegistryLocation,
} from './wkg-config.js';

/**
 * Finds credentials for a registry, given its `host[:port]` and the wkg registry name, if any.
 *
 * Finds credentials for the registry a reference resolved to: its `host[:port]` as written
 * and, for a wkg package name, the wkg registry name it came from (which is looked up first).
 */
export type CredentialLookup = (registry: string, wkgRegistry: string | undefined) => Promise<Credentials | undefined>;

/** How to resolve a reference and reach its registry. */
export interface TargetOptions {
  /** Hosts (`host` or `host:port`) that may be reached over plain HTTP besides loopback. */
  insecure?: readonly string[] | undefined;
  /** wkg's config; empty when not given. */
  wkgConfig?: WkgConfig | undefined;
  /** Called at most once per registry, and only when the registry asks for credentials. */
  credentials?: CredentialLookup | undefined;
  onWarning?: ((message: string) => void) | undefined;
  /** Retry tuning (tests shorten the waits). */
  retry?: Pick<RegistryClientOptions, 'attempts' | 'backoffMs' | 'maxDelayMs'> | undefined;
  /** How requests are sent, and how long a silent registry is waited for. */
  connection?: Pick<RegistryClientOptions, 'timeoutMs' | 'transport'> | undefined;
}

/** What a reference given by the user resolves to. */
export interface OciTarget {
  reference: OciReference;
  /** The file name of the layer (`hello.wasm`). */
  layerTitle: string;
  /** For a wkg package name without a version: the highest SemVer tag must be looked up. */
  needsVersion: boolean;
  /** The wkg package name (`namespace:name`) when the user wrote one rather than an OCI reference. */
  wkgPackage?: string | undefined;
  client: RegistryClient;
}

const LABEL = '[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*';
const PACKAGE = new RegExp(`^(${LABEL}):(${LABEL})(?:@([^/\\s]+))?$`);

/** A wkg package reference `namespace:name[@version]`, or `undefined` if `text` is not one. */
export function parsePackageName(
  text: string,
): { namespace: string; name: string; version: string | undefined } | undefined {
  const match = PACKAGE.exec(text);
  if (match === null) return undefined;
  const version = match[3];
  if (version !== undefined && !isSemver(version)) {
    throw new WasmMetaError('invalid-reference', `${JSON.stringify(text)}: the package version must be SemVer`);
  }
  return { namespace: match[1] as string, name: match[2] as string, version };
}

/**
 * Resolves what the user wrote, a full OCI reference or a wkg package name (spec oci.md §8),
 * to a reference, the layer's file name and a client for its registry. A package name goes
 * through wkg's config and the registry's `/.well-known/wasm-pkg/registry.json`.
 */
export async function resolveOciTarget(text: string, options: TargetOptions = {}): Promise<OciTarget> {
  const config = options.wkgConfig ?? emptyWkgConfig();
  const wkgPackage = text.includes('/') ? undefined : parsePackageName(text);
  if (wkgPackage === undefined) {
    const reference = parseReference(text);
    return {
      reference,
      layerTitle: `${lastSegment(reference)}.wasm`,
      needsVersion: false,
      client: clientFor(reference, config, options, undefined),
    };
  }
  const key = `${wkgPackage.namespace}:${wkgPackage.name}`;
  const mapping = config.packageRegistryOverrides.get(key) ?? config.namespaceRegistries.get(wkgPackage.namespace);
  const registry =
    mapping?.registry ?? config.defaultRegistry ?? FALLBACK_NAMESPACE_REGISTRIES.get(wkgPackage.namespace);
  if (registry === undefined) {
    throw new WasmMetaError(
      'invalid-reference',
      `${text}: no registry is configured for the namespace ${wkgPackage.namespace} (wkg config: default_registry or namespace_registries)`,
    );
  }
  const location =
    mapping?.location ??
    (await fetchWkgRegistryLocation(registry, {
      timeoutMs: options.connection?.timeoutMs,
      onWarning: options.onWarning,
    }));
  const ociRegistry = location.ociRegistry ?? registry;
  const prefix = location.namespacePrefix ?? '';
  const tag = wkgPackage.version ?? 'latest';
  const reference = parseReference(`${ociRegistry}/${prefix}${wkgPackage.namespace}/${wkgPackage.name}:${tag}`);
  return {
    reference,
    layerTitle: `${wkgPackage.name}.wasm`,
    needsVersion: wkgPackage.version === undefined,
    wkgPackage: key,
    client: clientFor(reference, config, options, registry),
  };
}

/**
 * `GET https://<registry>/.well-known/wasm-pkg/registry.json` (`http` for loopback). A 404 or
 * any other answer but a 200 means the defaults (the registry itself, no prefix), as in wkg; so
 * does a failure to get an answer within `timeoutMs` (`--timeout`), but that one is reported
 * through `onWarning`, since it may hide a registry's real location.
 */
export async function fetchWkgRegistryLocation(
  registry: string,
  options: { timeoutMs?: number | undefined; onWarning?: ((message: string) => void) | undefined } = {},
): Promise<WkgRegistryLocation> {
  const scheme = isLoopback(registry) ? 'http' : 'https';
  const url = `${scheme}://${registry}/.well-known/wasm-pkg/registry.json`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const seconds = timeoutMs / 1000;
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${seconds} s (--timeout ${seconds})`
        : describeNetworkError(error);
    options.onWarning?.(`${registry}: could not look up ${url} (${reason}); using ${registry} itself`);
    return {};
  }
  try {
    if (response.status !== 200) return {};
    const body = await readLimited(response, MAX_JSON_BODY, () => new Error('too large'));
    return parseWkgRegistryLocation(JSON.parse(new TextDecoder().decode(body))) ?? {};
  } catch {
    return {};
  }
}

/** Where a push goes: a tag, or only the digest it pins (then the image manifest is pushed by digest). */
export interface PushDestination {
  /** The tag or digest the image manifest is pushed under (`1.2.0`, `sha256:…`). */
  tagOrDigest: string;
  /** The tag, if the reference has one: a SemVer tag gives the version annotation. */
  tag: string | undefined;
  /** The digest the reference pins (`…@sha256:…`): what is pushed must have it. */
  digest: string | undefined;
}

/**
 * Where a push goes: the reference's tag, else its digest; a package name needs a version.
 * A pinned digest is checked against the image manifest by `pushWasmArtifact` before anything
 * is uploaded, as oras does.
 */
export function pushDestination(target: OciTarget, text: string): PushDestination {
  if (target.needsVersion) {
    throw new WasmMetaError('invalid-reference', `${text}: give a version (namespace:name@1.2.3) to push a package`);
  }
  const { tag, digest } = target.reference;
  return { tagOrDigest: tag ?? (digest as string), tag, digest };
}

/**
 * A wkg package's `version` section must be the version it is pushed as, as wkg requires;
 * `force` lets it through (the caller warns). A plain OCI reference is not checked: its tag
 * need not be a version.
 */
export function checkPackageVersion(target: OciTarget, sectionVersion: string | null, force: boolean): void {
  const tag = target.reference.tag;
  if (target.wkgPackage === undefined || sectionVersion === null || tag === undefined || sectionVersion === tag) return;
  if (force) return;
  throw new WasmMetaError(
    'metadata-mismatch',
    `the version section says ${sectionVersion}, but the package is pushed as ${target.wkgPackage}@${tag}: push it as ${target.wkgPackage}@${sectionVersion}, set the section (wasm-meta add --version ${tag}), or give --force`,
  );
}

/**
 * The tag or digest to pull: the reference's digest, else its tag; for a package name without
 * a version, the highest SemVer tag, as wkg picks versions.
 */
export async function referenceToPull(target: OciTarget, repository: Repository): Promise<string> {
  const { reference } = target;
  if (reference.digest !== undefined) return reference.digest;
  if (!target.needsVersion) return reference.tag ?? 'latest';
  const highest = highestVersion(await repository.listTags());
  if (highest === undefined) {
    throw new WasmMetaError('not-found', `${reference.registry}/${reference.repository} has no SemVer tags`);
  }
  return highest;
}

/** The highest SemVer tag, ignoring other tags and `sha256-…` (referrer) tags. */
export function highestVersion(tags: readonly string[]): string | undefined {
  return tags
    .filter((tag) => !tag.startsWith('sha256-') && isSemver(tag))
    .sort(compareSemver)
    .at(-1);
}

function clientFor(
  reference: OciReference,
  config: WkgConfig,
  options: TargetOptions,
  wkgRegistry: string | undefined,
): RegistryClient {
  const insecure = (options.insecure ?? []).map((h) => h.toLowerCase());
  const host = reference.apiHost.toLowerCase();
  const plainHttp =
    isLoopback(host) ||
    insecure.includes(host) ||
    insecure.includes(hostName(host)) ||
    config.oci.get(wkgRegistry ?? reference.registry)?.plainHttp === true;
  const lookup = options.credentials;
  return new RegistryClient({
    registry: reference.registry,
    apiHost: reference.apiHost,
    plainHttp,
    ...(lookup === undefined ? {} : { credentials: () => lookup(reference.registry, wkgRegistry) }),
    ...options.retry,
    ...options.connection,
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
}
