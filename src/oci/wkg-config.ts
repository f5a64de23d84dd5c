/**
 * wkg's configuration as data (spec oci.md §7.3, §8): which registry serves a package
 * namespace, where that registry keeps packages in OCI terms, and per-registry credentials and
 * protocol. Reading `config.toml` from disk is wasm-meta/node's job; this module only
 * interprets its parsed tables.
 */

/**
 * Where a wkg registry keeps its packages in OCI terms.
 *
 * Where a wkg registry keeps its packages in OCI terms, from its
 * `/.well-known/wasm-pkg/registry.json` or the config's inline `metadata` (not the legacy
 * `registry-metadata` custom section, which is unrelated).
 */
export interface WkgRegistryLocation {
  ociRegistry?: string;
  namespacePrefix?: string;
}

/** The parts of wkg's `config.toml` that wasm-meta uses. */
export interface WkgConfig {
  defaultRegistry: string | undefined;
  /** Namespace → registry name, with its OCI location when the mapping gives inline `metadata`. */
  namespaceRegistries: Map<string, { registry: string; location?: WkgRegistryLocation }>;
  packageRegistryOverrides: Map<string, { registry: string; location?: WkgRegistryLocation }>;
  /** `[registry."<name>".oci]`: credentials and protocol for a registry. */
  oci: Map<string, { auth?: { username: string; password: string }; plainHttp: boolean }>;
}

/** wkg's built-in registries for well-known namespaces. */
export const FALLBACK_NAMESPACE_REGISTRIES: ReadonlyMap<string, string> = new Map([
  ['wasi', 'wasi.dev'],
  ['ba', 'bytecodealliance.org'],
]);

/** A config with nothing in it, as when there is no file. */
export function emptyWkgConfig(): WkgConfig {
  return {
    defaultRegistry: undefined,
    namespaceRegistries: new Map(),
    packageRegistryOverrides: new Map(),
    oci: new Map(),
  };
}

/** The config from the parsed tables of `config.toml`; what it does not know is ignored. */
export function parseWkgConfig(toml: unknown): WkgConfig {
  const config = emptyWkgConfig();
  if (!isTable(toml)) return config;
  if (typeof toml['default_registry'] === 'string') config.defaultRegistry = toml['default_registry'];
  readMappings(toml['namespace_registries'], config.namespaceRegistries);
  readMappings(toml['package_registry_overrides'], config.packageRegistryOverrides);
  const registries = toml['registry'];
  if (isTable(registries)) {
    for (const [name, entry] of Object.entries(registries)) {
      const oci = isTable(entry) ? entry['oci'] : undefined;
      if (!isTable(oci)) continue;
      config.oci.set(name, { ...parseAuth(oci['auth']), plainHttp: oci['protocol'] === 'http' });
    }
  }
  return config;
}

/**
 * Parses a wkg registry's OCI location from `registry.json` or the config.
 *
 * A wkg registry's OCI location, current (`{"preferredProtocol":"oci","oci":{"registry","namespacePrefix"}}`)
 * or deprecated (`{"ociRegistry","ociNamespacePrefix"}`).
 */
export function parseWkgRegistryLocation(value: unknown): WkgRegistryLocation | undefined {
  if (!isTable(value)) return undefined;
  const out: WkgRegistryLocation = {};
  const oci = value['oci'];
  const registry = isTable(oci) ? oci['registry'] : value['ociRegistry'];
  const prefix = isTable(oci) ? oci['namespacePrefix'] : value['ociNamespacePrefix'];
  if (typeof registry === 'string' && registry !== '') out.ociRegistry = registry;
  if (typeof prefix === 'string') out.namespacePrefix = prefix;
  return out;
}

function readMappings(value: unknown, into: WkgConfig['namespaceRegistries']): void {
  if (!isTable(value)) return;
  for (const [key, mapping] of Object.entries(value)) {
    if (typeof mapping === 'string') into.set(key, { registry: mapping });
    else if (isTable(mapping) && typeof mapping['registry'] === 'string') {
      const location = parseWkgRegistryLocation(mapping['metadata']);
      into.set(
        key,
        location === undefined ? { registry: mapping['registry'] } : { registry: mapping['registry'], location },
      );
    }
  }
}

/** `auth = {username, password}` or a base64 `"user:pass"` string. */
function parseAuth(value: unknown): { auth?: { username: string; password: string } } {
  if (isTable(value) && typeof value['username'] === 'string' && typeof value['password'] === 'string') {
    return { auth: { username: value['username'], password: value['password'] } };
  }
  if (typeof value === 'string') {
    const decoded = decodeBase64(value);
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded !== undefined && colon > 0) {
      return { auth: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } };
    }
  }
  return {};
}

/** Base64 (standard alphabet) to UTF-8 text, or `undefined` if it is not base64. */
function decodeBase64(text: string): string | undefined {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
