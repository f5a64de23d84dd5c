import { execFileSync } from 'node:child_process';
import { X509Certificate, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A token server for a registry configured with token auth (spec oci.md §10.3). */
export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** The PEM certificate the registry must trust. */
  certificate: string;
  /** Token requests seen, for assertions (scopes asked for, whether credentials came along). */
  requests: Array<{ scopes: string[]; user: string | undefined }>;
  close(): Promise<void>;
}

const SERVICE = 'wasm-meta-test';
const ISSUER = 'wasm-meta-test-issuer';

/**
 * Starts a token server on 127.0.0.1 that issues ES256 JWTs signed with a fresh key whose
 * self-signed certificate (made with openssl) is sent in the `x5c` header. `users` maps user
 * names to passwords; anonymous requests get pull access only when `anonymousPull` is set.
 */
export async function startTokenServer(
  users: Record<string, string>,
  options: { anonymousPull?: boolean } = {},
): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-meta-token-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      '/CN=wasm-meta-test',
      '-keyout',
      join(dir, 'token.key'),
      '-out',
      join(dir, 'token.crt'),
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(join(dir, 'token.key'), 'utf8');
  const certificate = readFileSync(join(dir, 'token.crt'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const der = new X509Certificate(certificate).raw.toString('base64');
  const requests: TokenServer['requests'] = [];

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const scopes = url.searchParams.getAll('scope');
    const user = authenticate(request, users);
    requests.push({ scopes, user: user === null ? undefined : user });
    if (user === null) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"invalid credentials"}');
      return;
    }
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || name === undefined || actions === undefined) return [];
      const granted = actions
        .split(',')
        .filter((a) => user !== undefined || (options.anonymousPull === true && a === 'pull'));
      return [{ type, name, actions: granted }];
    });
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = encode({ typ: 'JWT', alg: 'ES256', x5c: [der] });
    const claims = encode({
      iss: ISSUER,
      sub: user ?? '',
      aud: SERVICE,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    });
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }).toString(
      'base64url',
    );
    const token = `${header}.${claims}.${signature}`;
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service: SERVICE,
    issuer: ISSUER,
    certificate,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The user of a Basic header if the password is right; `undefined` when anonymous; `null` when wrong. */
function authenticate(request: IncomingMessage, users: Record<string, string>): string | undefined | null {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Basic (.+)$/.exec(header);
  if (match === null) return null;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  return users[user] !== undefined && users[user] === decoded.slice(colon + 1) ? user : null;
}
