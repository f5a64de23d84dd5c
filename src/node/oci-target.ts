import { WasmMetaError } from '../errors.js';
import { type OciReference, hostName, isLoopback, lastSegment, parseReference } from '../oci/reference.js';
import { MAX_JSON_BODY, readLimited } from '../oci/http.js';
import { RegistryClient, type RegistryClientOptions } from '../oci/registry-client.js';
import { isSemver } from '../values/semver.js';
import { findCredentials } from './credentials.js';
import {
  FALLBACK_NAMESPACE_REGISTRIES,
  type WkgRegistryLocation,
  type WkgConfig,
  parseWkgRegistryLocation,
  readWkgConfig,
} from './wkg-config.js';

/** How to reach registries: security, credentials and retries. */
export interface RegistryOptions {
  /** Hosts (`host` or `host:port`) that may be reached over plain HTTP besides loopback. */
  insecure?: readonly string[];
  username?: string | undefined;
  password?: string | undefined;
  /** The environment for credential and `SOURCE_DATE_EPOCH` lookups; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** wkg's config; read from its default place when not given. */
  wkgConfig?: WkgConfig;
  onWarning?: (message: string) => void;
  /** Retry tuning (tests shorten the waits). */
  retry?: Pick<RegistryClientOptions, 'attempts' | 'backoffMs' | 'maxDelayMs'>;
}

/** What a reference given by the user resolves to. */
export interface OciTarget {
  reference: OciReference;
  /** The file name of the layer (`hello.wasm`). */
  layerTitle: string;
  /** For a wkg package name without a version: the highest SemVer tag must be looked up. */
  needsVersion: boolean;
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
 * to a reference, the layer's file name and a client for its registry.
 */
export async function resolveTarget(text: string, options: RegistryOptions = {}): Promise<OciTarget> {
  const wkgPackage = text.includes('/') ? undefined : parsePackageName(text);
  if (wkgPackage === undefined) {
    const reference = parseReference(text);
    return {
      reference,
      layerTitle: `${lastSegment(reference)}.wasm`,
      needsVersion: false,
      client: await clientFor(reference, options),
    };
  }
  const config = options.wkgConfig ?? (await readWkgConfig());
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
  const location = mapping?.location ?? (await fetchWkgRegistryLocation(registry));
  const ociRegistry = location.ociRegistry ?? registry;
  const prefix = location.namespacePrefix ?? '';
  const tag = wkgPackage.version ?? 'latest';
  const reference = parseReference(`${ociRegistry}/${prefix}${wkgPackage.namespace}/${wkgPackage.name}:${tag}`);
  return {
    reference,
    layerTitle: `${wkgPackage.name}.wasm`,
    needsVersion: wkgPackage.version === undefined,
    client: await clientFor(reference, { ...options, wkgConfig: config }, registry),
  };
}

/** `GET https://<registry>/.well-known/wasm-pkg/registry.json`; a failure means defaults. */
async function fetchWkgRegistryLocation(registry: string): Promise<WkgRegistryLocation> {
  const scheme = isLoopback(registry) ? 'http' : 'https';
  try {
    const response = await fetch(`${scheme}://${registry}/.well-known/wasm-pkg/registry.json`, {
      redirect: 'follow',
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 200) return {};
    const body = await readLimited(response, MAX_JSON_BODY, () => new Error('too large'));
    return parseWkgRegistryLocation(JSON.parse(new TextDecoder().decode(body))) ?? {};
  } catch {
    return {};
  }
}

async function clientFor(
  reference: OciReference,
  options: RegistryOptions,
  wkgRegistry?: string,
): Promise<RegistryClient> {
  const wkgConfig = options.wkgConfig ?? (await readWkgConfig());
  const insecure = (options.insecure ?? []).map((h) => h.toLowerCase());
  const host = reference.apiHost.toLowerCase();
  const plainHttp =
    isLoopback(host) ||
    insecure.includes(host) ||
    insecure.includes(hostName(host)) ||
    wkgConfig.oci.get(wkgRegistry ?? reference.registry)?.plainHttp === true;
  return new RegistryClient({
    registry: reference.registry,
    apiHost: reference.apiHost,
    plainHttp,
    credentials: async () =>
      (wkgRegistry === undefined
        ? undefined
        : await findCredentials(wkgRegistry, {
            ...credentialInputs(options),
            wkg: wkgConfig,
            dockerFallback: false,
          })) ?? findCredentials(reference.registry, { ...credentialInputs(options), wkg: wkgConfig }),
    ...options.retry,
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
}

function credentialInputs(options: RegistryOptions) {
  return {
    username: options.username,
    password: options.password,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  };
}
