/** Parsing of HTTP authentication challenges (`WWW-Authenticate`, RFC 7235 / RFC 6750). */

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
