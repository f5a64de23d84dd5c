import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '../oci/auth.js';
import type { WkgConfig } from '../oci/wkg-config.js';

/** Where credentials may come from, besides the files and helpers looked up by default. */
export interface CredentialInputs {
  /** `--username` and a password (from `--password-stdin`). */
  username?: string | undefined;
  password?: string | undefined;
  env?: NodeJS.ProcessEnv;
  wkg?: WkgConfig;
  /** Receives problems that do not stop the lookup (an identity token, a failing helper). */
  onWarning?: (message: string) => void;
  /** Look in Docker's config too (the default). */
  dockerFallback?: boolean;
}

/** Docker Hub's credentials are stored under this legacy key. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/**
 * Finds credentials for a registry as the command line does: flags, environment, wkg, then Docker.
 *
 * Finds credentials for `registry` (its `host[:port]`, or the wkg registry name), first match
 * wins (spec oci.md §7.3): flags, then `WASM_META_USERNAME`/`WASM_META_PASSWORD`; a wkg bearer
 * token in `WKG_REGISTRY_<NAME>_AUTH_BEARER`; wkg's config; Docker's `config.json`
 * (`credHelpers`, then `credsStore`, then `auths`); else none.
 */
export async function findCredentials(
  registry: string,
  inputs: CredentialInputs = {},
): Promise<Credentials | undefined> {
  const env = inputs.env ?? process.env;
  if (inputs.username !== undefined) {
    if (inputs.password === undefined) return undefined;
    return { username: inputs.username, password: inputs.password };
  }
  const envUser = env['WASM_META_USERNAME'];
  const envPassword = env['WASM_META_PASSWORD'];
  if (envUser !== undefined && envUser !== '' && envPassword !== undefined)
    return { username: envUser, password: envPassword };
  const bearer = env[`WKG_REGISTRY_${registry.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_AUTH_BEARER`];
  if (bearer !== undefined && bearer !== '') return { token: bearer };
  const wkg = inputs.wkg?.oci.get(registry)?.auth;
  if (wkg !== undefined) return wkg;
  return inputs.dockerFallback === false ? undefined : dockerCredentials(registry, env, inputs.onWarning);
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env['DOCKER_CONFIG'] !== undefined && env['DOCKER_CONFIG'] !== ''
      ? env['DOCKER_CONFIG']
      : join(homedir(), '.docker');
  return join(dir, 'config.json');
}

async function dockerCredentials(
  registry: string,
  env: NodeJS.ProcessEnv,
  onWarning: ((message: string) => void) | undefined,
): Promise<Credentials | undefined> {
  const text = await readFile(dockerConfigPath(env), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(text) as Record<string, unknown>;
  } catch {
    onWarning?.(`${dockerConfigPath(env)} is not valid JSON; it is ignored`);
    return undefined;
  }
  const key = registry === 'docker.io' || registry === 'registry-1.docker.io' ? DOCKER_HUB_KEY : registry;
  const helpers = config['credHelpers'];
  const helper =
    (typeof helpers === 'object' && helpers !== null ? (helpers as Record<string, unknown>)[key] : undefined) ??
    config['credsStore'];
  if (typeof helper === 'string' && helper !== '') {
    const fromHelper = await runCredentialHelper(helper, key, env, onWarning);
    if (fromHelper !== undefined) return fromHelper;
  }
  const auths = config['auths'];
  const entry = typeof auths === 'object' && auths !== null ? (auths as Record<string, unknown>)[key] : undefined;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const record = entry as Record<string, unknown>;
  if (typeof record['identitytoken'] === 'string' && record['identitytoken'] !== '') {
    onWarning?.(`${registry}: identity tokens in Docker's config are not supported; continuing without them`);
  }
  if (typeof record['auth'] !== 'string' || record['auth'] === '') return undefined;
  const decoded = Buffer.from(record['auth'], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : undefined;
}

/**
 * Asks `docker-credential-<name> get` for the credentials of `server` (given on stdin). It
 * prints `{"ServerURL","Username","Secret"}`, or exits non-zero when nothing is stored.
 */
async function runCredentialHelper(
  name: string,
  server: string,
  env: NodeJS.ProcessEnv,
  onWarning: ((message: string) => void) | undefined,
): Promise<Credentials | undefined> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(`docker-credential-${name}`, ['get'], {
      env,
      stdio: ['pipe', 'pipe', 'ignore'],
      timeout: 15_000,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data: string) => {
      if (stdout.length < 64 * 1024) stdout += data;
    });
    child.on('error', () => {
      onWarning?.(`the Docker credential helper docker-credential-${name} could not be run`);
      resolve(undefined);
    });
    child.on('close', (code) => {
      if (code !== 0) return resolve(undefined);
      try {
        const json = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
        if (typeof json.Username !== 'string' || typeof json.Secret !== 'string') return resolve(undefined);
        if (json.Username === '<token>') {
          onWarning?.(
            `${server}: identity tokens from docker-credential-${name} are not supported; continuing without them`,
          );
          return resolve(undefined);
        }
        resolve({ username: json.Username, password: json.Secret });
      } catch {
        onWarning?.(`docker-credential-${name} printed something that is not JSON`);
        resolve(undefined);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(server);
  });
}
