import type { RegistryClientOptions } from '../oci/registry-client.js';
import { type OciTarget, resolveOciTarget } from '../oci/target.js';
import { DEFAULT_TIMEOUT_SECONDS } from '../oci/transport.js';
import type { WkgConfig } from '../oci/wkg-config.js';
import { findCredentials } from './credentials.js';
import { nodeHttpTransport } from './http-transport.js';
import { readWkgConfig, wkgConfigPath } from './wkg-config.js';

/** How to reach registries: security, credentials and retries. */
export interface RegistryOptions {
  /** Hosts (`host` or `host:port`) that may be reached over plain HTTP besides loopback. */
  insecure?: readonly string[];
  username?: string | undefined;
  password?: string | undefined;
  /** The environment for credential, wkg config and `SOURCE_DATE_EPOCH` lookups; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** wkg's config; read from its default place when not given. */
  wkgConfig?: WkgConfig;
  onWarning?: (message: string) => void;
  /** Retry tuning (tests shorten the waits). */
  retry?: Pick<RegistryClientOptions, 'attempts' | 'backoffMs' | 'maxDelayMs'>;
  /**
   * Seconds without a byte moving before a registry request fails with a `network` error, as
   * `--timeout` gives it. Default 30.
   */
  timeout?: number;
}

/**
 * Resolves an OCI reference or wkg package name with this machine's wkg config and credential
 * stores.
 *
 * Resolves what the user wrote, a full OCI reference or a wkg package name, with wkg's config
 * file and the credential stores of this machine (flags, environment, wkg, Docker).
 */
export async function resolveTarget(text: string, options: RegistryOptions = {}): Promise<OciTarget> {
  const wkgConfig = options.wkgConfig ?? (await readWkgConfig(wkgConfigPath(options.env)));
  const inputs = {
    username: options.username,
    password: options.password,
    wkg: wkgConfig,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  };
  return resolveOciTarget(text, {
    insecure: options.insecure,
    wkgConfig,
    // A wkg registry name is looked up first in the flags, environment and wkg's own config.
    credentials: async (registry, wkgRegistry) =>
      (wkgRegistry === undefined
        ? undefined
        : await findCredentials(wkgRegistry, { ...inputs, dockerFallback: false })) ??
      findCredentials(registry, inputs),
    onWarning: options.onWarning,
    retry: options.retry,
    connection: {
      transport: nodeHttpTransport,
      timeoutMs: (options.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    },
  });
}
