import { WasmMetaError } from '../errors.js';
import { Authenticator, type Credentials } from './auth.js';
import { MAX_ERROR_BODY, describeNetworkError, drain, readLimited } from './http.js';
import { isLoopback } from './reference.js';
import { DEFAULT_TIMEOUT_SECONDS, type Transport, fetchTransport, withIdleTimeout } from './transport.js';

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
  /**
   * Milliseconds without a byte moving (no connection, no response headers, no body chunk in
   * either direction) before a request fails with a `network` error. Default 30 000.
   */
  timeoutMs?: number;
  /** How requests are sent: `fetch` by default; Node.js passes one over `node:http` that streams. */
  transport?: Transport;
}

/** A request body that can be produced again for a retry. */
export type BodySource = () => Uint8Array<ArrayBuffer> | string | ReadableStream<Uint8Array>;

/** Options of one request. */
export interface RequestOptions {
  /** The token scope the request needs (`repository:acme/hello:pull`). */
  scope: string;
  headers?: Record<string, string>;
  body?: BodySource;
  /** The statuses that mean success; anything else is an error. */
  expect: readonly number[];
  /**
   * `false`: a transient failure is not retried here but thrown at once, marked so that
   * {@link RegistryClient.retrying} retries the whole sequence it belongs to (an upload
   * session, which a resent request cannot resume).
   */
  retry?: boolean;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const MAX_REDIRECTS = 5;

/**
 * The HTTP client of one registry: authentication, retries and redirects.
 *
 * The HTTP client of one registry: it sends requests with the authorization that its
 * {@link Authenticator} holds for the request's scope and hands it each 401 challenge, retries
 * transient failures with backoff (honouring `Retry-After`), follows redirects by hand so that
 * `Authorization` never goes to another host, reports each distinct `Warning` header once, and
 * turns failures into errors that name the registry's error code. It knows nothing of the
 * distribution API's paths: {@link Repository} builds them.
 */
export class RegistryClient {
  /** The registry as the user wrote it, for messages. */
  readonly registry: string;
  readonly origin: string;
  private readonly auth: Authenticator;
  private readonly warned = new Set<string>();
  private readonly exchange: ReturnType<typeof withIdleTimeout>;
  /** Failures thrown by a request with `retry: false` that a retry of the sequence may cure. */
  private readonly transient = new WeakSet<object>();

  constructor(private readonly options: RegistryClientOptions) {
    this.registry = options.registry;
    // As a URL spells it (`127.1` is `127.0.0.1`, host names in lower case): each request's origin
    // is compared with it before credentials are attached.
    this.origin = new URL(`${options.plainHttp ? 'http' : 'https'}://${options.apiHost}`).origin;
    this.exchange = withIdleTimeout(
      options.transport ?? fetchTransport,
      options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000,
    );
    this.auth = new Authenticator({
      registry: options.registry,
      origin: this.origin,
      plainHttp: options.plainHttp,
      credentials: options.credentials,
      get: (url, headers) =>
        this.exchange(url, { method: 'GET', headers }, `${options.registry}: GET ${url.host}${url.pathname}`),
    });
  }

  /**
   * Runs `sequence` again, after the usual backoff, when it fails with a transient failure of a
   * request it sent with `retry: false`; at most `attempts` times in all.
   */
  async retrying<T>(what: string, sequence: () => Promise<T>): Promise<T> {
    const attempts = this.options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await sequence();
      } catch (error) {
        if (!this.transient.has(error as object) || attempt >= attempts) throw error;
        const reason = (error as Error).message.replace(`${this.options.registry}: `, '');
        await this.pause(attempt, null, `${reason}; ${what} starts again`);
      }
    }
  }

  /** Sends a request to a path of this registry (or an absolute URL it returned). */
  async request(method: string, pathOrUrl: string, options: RequestOptions): Promise<Response> {
    const url = new URL(pathOrUrl, this.origin);
    const attempts = this.options.attempts ?? 5;
    let challenged = false;
    for (let attempt = 1; ; attempt++) {
      const retry = options.retry !== false;
      let response: Response;
      try {
        response = await this.send(method, url, options);
      } catch (error) {
        if (error instanceof WasmMetaError) throw error;
        const code = networkCode(error);
        const transient = code !== undefined && RETRYABLE_NETWORK.has(code);
        if (transient && retry && attempt < attempts) {
          await this.pause(attempt, null, `${code} on ${method} ${url.pathname}`);
          continue;
        }
        const failure = new WasmMetaError(
          'network',
          `${this.options.registry}: ${method} ${url.pathname} failed: ${this.describeFailure(code, error)}`,
          undefined,
          { cause: error },
        );
        if (transient) this.transient.add(failure);
        throw failure;
      }
      this.collectWarnings(response);
      if (response.status === 401 && !challenged) {
        challenged = true;
        await drain(response);
        await this.auth.answer(response.headers.get('www-authenticate'), options.scope);
        continue;
      }
      if (RETRYABLE_STATUS.has(response.status) && !retry) {
        const failure = await this.errorFor(method, url, response, options.scope);
        this.transient.add(failure);
        throw failure;
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
      const authorization = sameOrigin ? this.auth.authorization(options.scope) : undefined;
      if (authorization !== undefined) headers['authorization'] = authorization;
      const body = hop === 0 && options.body !== undefined ? options.body() : undefined;
      const response = await this.exchange(
        target,
        { method, headers, body },
        `${this.options.registry}: ${method} ${target.pathname}`,
      );
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
        !(this.options.plainHttp && next.host === new URL(this.origin).host)
      ) {
        throw new WasmMetaError(
          'insecure',
          `${this.options.registry}: refusing a redirect to plain HTTP on ${next.host}`,
        );
      }
      target = next;
    }
  }

  /** The reason of a failed exchange in words: a TLS handshake with a plain HTTP server says so. */
  private describeFailure(code: string | undefined, error: unknown): string {
    if (code === 'ECONNREFUSED') return 'connection refused';
    const detail = describeNetworkError(error);
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(detail)) {
      return `${this.options.apiHost} speaks plain HTTP, not HTTPS; use --insecure ${this.options.apiHost} if you trust the network`;
    }
    return detail;
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
    if (response.status === 401 || response.status === 403) {
      const why = await this.auth.refusal(response.status, response.headers.get('www-authenticate'), scope);
      return new WasmMetaError('unauthorized', `${registry}: ${why} (${where}${detail === '' ? '' : `: ${detail}`})`);
    }
    return new WasmMetaError('registry', `${registry}: ${detail === '' ? where : `${detail} (${where})`}`);
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
