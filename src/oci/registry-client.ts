import { WasmMetaError } from '../errors.js';
import { MEDIA_TYPE } from './artifact.js';
import { type Challenge, basicAuthorization, parseChallenge } from './auth.js';
import { isLoopback } from './reference.js';

/** Credentials for a registry: a user and password, or a bearer token used as it is. */
export type Credentials = { username: string; password: string } | { token: string };

/** Options of a {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** The registry as the user wrote it, for messages and credential lookup. */
  registry: string;
  /** The `host[:port]` the API is served from. */
  apiHost: string;
  /** Use plain HTTP (for loopback hosts and hosts the user named insecure). */
  plainHttp: boolean;
  /** Looks up credentials; called at most once, and only when the registry asks for them. */
  credentials?: () => Promise<Credentials | undefined>;
  /** Attempts for a request that fails with 429, 502, 503, 504 or a reset connection. Default 5. */
  attempts?: number;
  /** First backoff delay in milliseconds; doubles each time. Default 500. */
  backoffMs?: number;
  /** The longest wait, whatever `Retry-After` says, in milliseconds. Default 30 000. */
  maxDelayMs?: number;
  /** Receives registry `Warning` headers (each distinct one once) and retry notices. */
  onWarning?: (message: string) => void;
}

/** A request body that can be produced again for a retry. */
export type BodySource = () => BodyInit;

/** Options of one request. */
export interface RequestOptions {
  /** The token scope the request needs (`repository:acme/hello:pull`). */
  scope: string;
  headers?: Record<string, string>;
  body?: BodySource;
  /** The statuses that mean success; anything else is an error. */
  expect: readonly number[];
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const MAX_REDIRECTS = 5;
/** Bounds on bodies read into memory: errors, tokens, image manifests and small JSON documents. */
export const MAX_ERROR_BODY = 64 * 1024;
export const MAX_JSON_BODY = 4 * 1024 * 1024;

/**
 * A client of the OCI distribution API for one registry. It answers authentication
 * challenges (Basic, and Bearer with a token exchange, tokens cached per scope), retries
 * transient failures with backoff (honouring `Retry-After`), follows redirects by hand, and
 * enforces the credential rules: credentials go only to the host they are for, never over
 * plain HTTP to a host that is not the local machine, and never into messages.
 */
export class RegistryClient {
  readonly origin: string;
  private readonly tokens = new Map<string, { value: string; expires: number }>();
  private basic: string | undefined;
  private credentials: Promise<Credentials | undefined> | undefined;
  private readonly warned = new Set<string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.origin = `${options.plainHttp ? 'http' : 'https'}://${options.apiHost}`;
  }

  /** Sends a request to a path of this registry (or an absolute URL it returned). */
  async request(method: string, pathOrUrl: string, options: RequestOptions): Promise<Response> {
    const url = new URL(pathOrUrl, this.origin);
    const attempts = this.options.attempts ?? 5;
    let challenged = false;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.send(method, url, options);
      } catch (error) {
        const code = networkCode(error);
        if (code !== undefined && RETRYABLE_NETWORK.has(code) && attempt < attempts) {
          await this.pause(attempt, null, `${code} on ${method} ${url.pathname}`);
          continue;
        }
        if (error instanceof WasmMetaError) throw error;
        throw new WasmMetaError(
          'registry',
          `${this.options.registry}: ${method} ${url.pathname} failed: ${code === 'ECONNREFUSED' ? 'connection refused' : describeNetworkError(error)}`,
          undefined,
          { cause: error },
        );
      }
      this.collectWarnings(response);
      if (response.status === 401 && !challenged) {
        challenged = true;
        await drain(response);
        await this.authenticate(parseChallenge(response.headers.get('www-authenticate')), options.scope);
        continue;
      }
      if (RETRYABLE_STATUS.has(response.status) && attempt < attempts) {
        await drain(response);
        await this.pause(
          attempt,
          response.headers.get('retry-after'),
          `HTTP ${response.status} on ${method} ${url.pathname}`,
        );
        continue;
      }
      if (options.expect.includes(response.status)) return response;
      throw await this.errorFor(method, url, response, options.scope);
    }
  }

  /** Reads a response body into memory, refusing more than `maxBytes`. */
  async readBody(response: Response, maxBytes: number, what: string): Promise<Uint8Array> {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel();
      throw new WasmMetaError(
        'registry',
        `${this.options.registry}: ${what} of ${declared} bytes is larger than the limit of ${maxBytes}`,
      );
    }
    return readLimited(
      response,
      maxBytes,
      () =>
        new WasmMetaError(
          'registry',
          `${this.options.registry}: ${what} is larger than the limit of ${maxBytes} bytes`,
        ),
    );
  }

  /** One HTTP exchange, following redirects by hand so that credentials never leave their host. */
  private async send(method: string, url: URL, options: RequestOptions): Promise<Response> {
    let target = url;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...options.headers };
      const sameOrigin = target.origin === this.origin;
      const authorization = sameOrigin ? this.cachedAuthorization(options.scope) : undefined;
      if (authorization !== undefined) headers['authorization'] = authorization;
      const body = hop === 0 && options.body !== undefined ? options.body() : undefined;
      const init: RequestInit & { duplex?: 'half' } = { method, headers, redirect: 'manual' };
      if (body !== undefined) {
        init.body = body;
        if (body instanceof ReadableStream) init.duplex = 'half';
      }
      const response = await fetch(target, init);
      const location = response.headers.get('location');
      if (
        ![301, 302, 303, 307, 308].includes(response.status) ||
        location === null ||
        method === 'POST' ||
        method === 'PUT'
      ) {
        return response;
      }
      await drain(response);
      if (hop >= MAX_REDIRECTS)
        throw new WasmMetaError('registry', `${this.options.registry}: too many redirects for ${url.pathname}`);
      const next = new URL(location, target);
      if (
        next.protocol === 'http:' &&
        !isLoopback(next.host) &&
        !(this.options.plainHttp && next.host === this.options.apiHost)
      ) {
        throw new WasmMetaError(
          'insecure',
          `${this.options.registry}: refusing a redirect to plain HTTP on ${next.host}`,
        );
      }
      target = next;
    }
  }

  /** The `Authorization` value already obtained for this scope, if any. */
  private cachedAuthorization(scope: string): string | undefined {
    const token = this.tokens.get(scope) ?? this.tokens.get('*');
    if (token !== undefined && token.expires > Date.now()) return `Bearer ${token.value}`;
    return this.basic;
  }

  /** Answers a challenge: Basic credentials, or a bearer token from the realm. */
  private async authenticate(challenge: Challenge | undefined, scope: string): Promise<void> {
    const credentials = await this.lookUpCredentials();
    if (credentials !== undefined && 'token' in credentials) {
      this.requireSafeTransport(this.origin);
      this.tokens.set('*', { value: credentials.token, expires: Number.POSITIVE_INFINITY });
      return;
    }
    if (challenge === undefined) {
      throw new WasmMetaError(
        'unauthorized',
        `${this.options.registry}: the registry wants authentication but sent no challenge`,
      );
    }
    if (challenge.scheme === 'basic') {
      if (credentials === undefined) {
        throw new WasmMetaError(
          'unauthorized',
          `${this.options.registry}: authentication required; give credentials (-u/--username with --password-stdin, or docker login)`,
        );
      }
      this.requireSafeTransport(this.origin);
      this.basic = basicAuthorization(credentials.username, credentials.password);
      return;
    }
    if (challenge.scheme !== 'bearer' || challenge.params['realm'] === undefined) {
      throw new WasmMetaError(
        'unauthorized',
        `${this.options.registry}: unsupported authentication scheme ${challenge.scheme}`,
      );
    }
    const realm = new URL(challenge.params['realm']);
    const query = new URLSearchParams();
    if (challenge.params['service'] !== undefined) query.append('service', challenge.params['service']);
    for (const s of scope.split(' ')) query.append('scope', s);
    const headers: Record<string, string> = {};
    if (credentials !== undefined) {
      this.requireSafeTransport(realm.origin);
      headers['authorization'] = basicAuthorization(credentials.username, credentials.password);
    } else if (realm.protocol === 'http:' && !isLoopback(realm.host) && !this.options.plainHttp) {
      throw new WasmMetaError(
        'insecure',
        `${this.options.registry}: the token service is on plain HTTP (${realm.host})`,
      );
    }
    for (const [key, value] of query) realm.searchParams.append(key, value);
    let response: Response;
    try {
      response = await fetch(realm, { headers, redirect: 'manual' });
    } catch (error) {
      throw new WasmMetaError(
        'registry',
        `${this.options.registry}: cannot reach the token service at ${realm.host}: ${describeNetworkError(error)}`,
        undefined,
        { cause: error },
      );
    }
    if (response.status === 401 || response.status === 403) {
      await drain(response);
      throw new WasmMetaError(
        'unauthorized',
        credentials === undefined
          ? `${this.options.registry}: the token service at ${realm.host} wants credentials for ${scope}`
          : `${this.options.registry}: the token service at ${realm.host} rejected the credentials of ${credentials.username}`,
      );
    }
    if (response.status !== 200) {
      await drain(response);
      throw new WasmMetaError(
        'registry',
        `${this.options.registry}: the token service at ${realm.host} answered HTTP ${response.status}`,
      );
    }
    const body = await readLimited(
      response,
      MAX_ERROR_BODY,
      () => new WasmMetaError('registry', `${this.options.registry}: the token response is too large`),
    );
    let token: string | undefined;
    let expiresIn = 60;
    try {
      const json = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
      const value = json['token'] ?? json['access_token'];
      if (typeof value === 'string' && value !== '') token = value;
      if (typeof json['expires_in'] === 'number' && json['expires_in'] > 0) expiresIn = json['expires_in'];
    } catch {
      // reported below
    }
    if (token === undefined)
      throw new WasmMetaError('registry', `${this.options.registry}: the token service at ${realm.host} sent no token`);
    this.tokens.set(scope, { value: token, expires: Date.now() + Math.max(1, expiresIn - 5) * 1000 });
  }

  private lookUpCredentials(): Promise<Credentials | undefined> {
    this.credentials ??= this.options.credentials?.() ?? Promise.resolve(undefined);
    return this.credentials;
  }

  /** Credentials go over HTTPS, or over plain HTTP only to the local machine. */
  private requireSafeTransport(origin: string): void {
    const url = new URL(origin);
    if (url.protocol === 'http:' && !isLoopback(url.host)) {
      throw new WasmMetaError(
        'insecure',
        `${this.options.registry}: refusing to send credentials over plain HTTP to ${url.host}`,
      );
    }
  }

  private async pause(attempt: number, retryAfter: string | null, reason: string): Promise<void> {
    const max = this.options.maxDelayMs ?? 30_000;
    let delay = (this.options.backoffMs ?? 500) * 2 ** (attempt - 1);
    const asked = parseRetryAfter(retryAfter);
    if (asked !== undefined) delay = asked;
    delay = Math.min(delay, max);
    this.options.onWarning?.(`${this.options.registry}: ${reason}; retrying in ${(delay / 1000).toFixed(1)} s`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  private collectWarnings(response: Response): void {
    const header = response.headers.get('warning');
    if (header === null) return;
    for (const match of header.matchAll(/299\s+\S+\s+"((?:[^"\\]|\\.)*)"/g)) {
      const text = match[1] as string;
      if (!this.warned.has(text)) {
        this.warned.add(text);
        this.options.onWarning?.(`${this.options.registry}: ${text}`);
      }
    }
  }

  /** A clear error for an unexpected status: the registry's error code and message. */
  private async errorFor(method: string, url: URL, response: Response, scope: string): Promise<WasmMetaError> {
    let detail = '';
    try {
      const body = new TextDecoder().decode(await readLimited(response, MAX_ERROR_BODY, () => new Error('large')));
      try {
        const json = JSON.parse(body) as { errors?: Array<{ code?: unknown; message?: unknown }> };
        detail = (json.errors ?? [])
          .map((e) => [e.code, e.message].filter((x) => typeof x === 'string' && x !== '').join(': '))
          .join('; ');
      } catch {
        detail = body.trim().split('\n')[0]?.slice(0, 200) ?? '';
      }
    } catch {
      // no body
    }
    const where = `HTTP ${response.status} on ${method} ${url.pathname}`;
    const registry = this.options.registry;
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      const reason = challenge?.params['error'];
      const who = await this.lookUpCredentials();
      const message =
        reason === 'insufficient_scope'
          ? `access denied: the credentials do not allow ${scope}`
          : who === undefined
            ? `authentication required for ${scope}`
            : `the registry rejected the credentials of ${'username' in who ? who.username : 'the token'}`;
      return new WasmMetaError(
        'unauthorized',
        `${registry}: ${message} (${where}${detail === '' ? '' : `: ${detail}`})`,
      );
    }
    if (response.status === 403) {
      return new WasmMetaError(
        'unauthorized',
        `${registry}: access denied for ${scope} (${where}${detail === '' ? '' : `: ${detail}`})`,
      );
    }
    return new WasmMetaError('registry', `${registry}: ${detail === '' ? where : `${detail} (${where})`}`);
  }
}

/** The `Accept` header for image manifests: without the OCI type, distribution answers 404. */
export const IMAGE_MANIFEST_ACCEPT = [
  MEDIA_TYPE.imageManifest,
  MEDIA_TYPE.imageIndex,
  MEDIA_TYPE.dockerImageManifest,
  MEDIA_TYPE.dockerManifestList,
].join(', ');

/** Reads a body, failing with `tooLarge()` as soon as it passes `maxBytes`. */
export async function readLimited(response: Response, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

async function drain(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // already closed
  }
}

/** `Retry-After` in milliseconds: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const inner = cause instanceof Error ? cause.message : undefined;
  return inner ?? (error instanceof Error ? error.message : String(error));
}
