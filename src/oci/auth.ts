/**
 * Registry authentication (spec oci.md §7): challenges, Basic, the Bearer token exchange with
 * the realm, a token cache per scope, and the rule that credentials never travel over plain
 * HTTP to a host that is not the local machine. Credentials are looked up at most once, and
 * only when a registry asks for them.
 */
import { WasmMetaError } from '../errors.js';
import { MAX_ERROR_BODY, describeNetworkError, drain, readLimited } from './http.js';
import { isLoopback } from './reference.js';

/** Credentials for a registry: a user and password, or a bearer token used as it is. */
export type Credentials = { username: string; password: string } | { token: string };

/** One challenge: its scheme (lower case) and parameters. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses the first challenge of a `WWW-Authenticate` header, such as
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"`.
 * Quoted values may hold commas and backslash escapes.
 */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (header === null) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9._~+/-]*)\s*(.*)$/s.exec(header);
  if (match === null) return undefined;
  const scheme = (match[1] as string).toLowerCase();
  const params: Record<string, string> = {};
  const rest = match[2] as string;
  const param = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/gy;
  let found: RegExpExecArray | null;
  while ((found = param.exec(rest)) !== null) {
    const name = (found[1] as string).toLowerCase();
    const value = found[2] !== undefined ? found[2].replace(/\\(.)/g, '$1') : (found[3] ?? '');
    // A new "scheme token" after a comma would start the next challenge: stop at the first.
    if (!(name in params)) params[name] = value;
    if (param.lastIndex >= rest.length) break;
  }
  return { scheme, params };
}

/** `Basic` credentials for a header: base64 of `user:password` (UTF-8). */
export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** Options of an {@link Authenticator}. */
export interface AuthenticatorOptions {
  /** The registry as the user wrote it, for messages. */
  registry: string;
  /** The origin the registry's API is served from (`https://ghcr.io`, `http://127.0.0.1:5000`). */
  origin: string;
  /** The user allowed plain HTTP to this registry (loopback, `--insecure`, wkg `protocol`). */
  plainHttp: boolean;
  /** Looks up credentials; called at most once, and only when the registry asks for them. */
  credentials?: (() => Promise<Credentials | undefined>) | undefined;
}

/** A bearer token and when it stops being used. */
interface Token {
  value: string;
  expires: number;
}

/**
 * The authentication state of one registry: what to send in `Authorization` for a scope, and
 * how to answer a 401 challenge. The registry client asks it for a header before each request
 * to the registry's own origin, and hands it every challenge.
 */
export class Authenticator {
  private readonly tokens = new Map<string, Token>();
  private basic: string | undefined;
  /** A bearer token given by the user (`WKG_REGISTRY_<NAME>_AUTH_BEARER`), used for every scope. */
  private givenToken: string | undefined;
  private credentials: Promise<Credentials | undefined> | undefined;

  constructor(private readonly options: AuthenticatorOptions) {}

  /** The `Authorization` value for a request under `scope`, if one was obtained; else anonymous. */
  authorization(scope: string): string | undefined {
    if (this.givenToken !== undefined) return `Bearer ${this.givenToken}`;
    const token = this.tokens.get(scope);
    if (token !== undefined && token.expires > Date.now()) return `Bearer ${token.value}`;
    return this.basic;
  }

  /**
   * Answers a challenge (`WWW-Authenticate` of a 401) for `scope`: Basic credentials, or a
   * bearer token from the realm. Afterwards {@link authorization} gives the header to retry with.
   */
  async answer(header: string | null, scope: string): Promise<void> {
    const challenge = parseChallenge(header);
    const credentials = await this.lookUpCredentials();
    const registry = this.options.registry;
    if (credentials !== undefined && 'token' in credentials) {
      this.requireSafeTransport(this.options.origin);
      this.givenToken = credentials.token;
      return;
    }
    if (challenge === undefined) {
      throw new WasmMetaError('unauthorized', `${registry}: the registry wants authentication but sent no challenge`);
    }
    if (challenge.scheme === 'basic') {
      if (credentials === undefined) {
        throw new WasmMetaError(
          'unauthorized',
          `${registry}: authentication required; give credentials (-u/--username with --password-stdin, or docker login)`,
        );
      }
      this.requireSafeTransport(this.options.origin);
      this.basic = basicAuthorization(credentials.username, credentials.password);
      return;
    }
    if (challenge.scheme !== 'bearer' || challenge.params['realm'] === undefined) {
      throw new WasmMetaError('unauthorized', `${registry}: unsupported authentication scheme ${challenge.scheme}`);
    }
    // A token obtained with the user's credentials is itself a credential: it goes to the
    // registry under the same rule as a password.
    if (credentials !== undefined) this.requireSafeTransport(this.options.origin);
    this.tokens.set(scope, await this.fetchToken(challenge, scope, credentials));
  }

  /**
   * Why the registry refused a request that was sent with whatever this authenticator had (a
   * final 401 or 403), naming the scope and the user but never a secret.
   */
  async refusal(status: number, header: string | null, scope: string): Promise<string> {
    if (status === 403) return `access denied for ${scope}`;
    if (parseChallenge(header)?.params['error'] === 'insufficient_scope') {
      return `access denied: the credentials do not allow ${scope}`;
    }
    const who = await this.lookUpCredentials();
    if (who === undefined) return `authentication required for ${scope}`;
    return `the registry rejected the credentials of ${'username' in who ? who.username : 'the token'}`;
  }

  /** `GET <realm>?service=…&scope=…`, with Basic credentials when there are some. */
  private async fetchToken(
    challenge: Challenge,
    scope: string,
    credentials: { username: string; password: string } | undefined,
  ): Promise<Token> {
    const registry = this.options.registry;
    const realm = new URL(challenge.params['realm'] as string);
    const headers: Record<string, string> = {};
    if (credentials !== undefined) {
      this.requireSafeTransport(realm.origin);
      headers['authorization'] = basicAuthorization(credentials.username, credentials.password);
    } else if (realm.protocol === 'http:' && !isLoopback(realm.host) && !this.options.plainHttp) {
      throw new WasmMetaError('insecure', `${registry}: the token service is on plain HTTP (${realm.host})`);
    }
    if (challenge.params['service'] !== undefined) realm.searchParams.append('service', challenge.params['service']);
    for (const s of scope.split(' ')) realm.searchParams.append('scope', s);
    let response: Response;
    try {
      response = await fetch(realm, { headers, redirect: 'manual' });
    } catch (error) {
      throw new WasmMetaError(
        'network',
        `${registry}: cannot reach the token service at ${realm.host}: ${describeNetworkError(error)}`,
        undefined,
        { cause: error },
      );
    }
    if (response.status === 401 || response.status === 403) {
      await drain(response);
      throw new WasmMetaError(
        'unauthorized',
        credentials === undefined
          ? `${registry}: the token service at ${realm.host} wants credentials for ${scope}`
          : `${registry}: the token service at ${realm.host} rejected the credentials of ${credentials.username}`,
      );
    }
    if (response.status !== 200) {
      await drain(response);
      throw new WasmMetaError(
        'registry',
        `${registry}: the token service at ${realm.host} answered HTTP ${response.status}`,
      );
    }
    const body = await readLimited(
      response,
      MAX_ERROR_BODY,
      () => new WasmMetaError('registry', `${registry}: the token response is too large`),
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
      throw new WasmMetaError('registry', `${registry}: the token service at ${realm.host} sent no token`);
    return { value: token, expires: Date.now() + Math.max(1, expiresIn - 5) * 1000 };
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
}
