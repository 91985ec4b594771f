import { isToken } from '../grammar/chars';
import { emptyStringMap } from '../grammar/params';
import { Scanner } from '../grammar/scanner';

/**
 * WWW-Authenticate / Proxy-Authenticate (a challenge) and Authorization / Proxy-Authorization
 * (credentials): a scheme followed by comma-separated auth-params. Values are unquoted here;
 * the serializers quote them the way RFC 3261 / RFC 7616 write each parameter.
 */
export interface AuthHeader {
  /** "Digest" as written. */
  scheme: string;
  /** Parameter names lower-cased, values without quotes. */
  params: Record<string, string>;
}
export type Challenge = AuthHeader;
export type Credentials = AuthHeader;

export function parseAuthHeader(value: string, header: string): AuthHeader {
  const scanner = new Scanner(value, header);
  const scheme = scanner.token('the authentication scheme');
  const params = emptyStringMap();
  scanner.skipWhitespace();
  if (!scanner.atEnd) {
    do {
      const name = scanner.token('a parameter name').toLowerCase();
      scanner.expect(61 /* = */, '"="');
      scanner.skipWhitespace();
      params[name] = scanner.peek() === 34 ? scanner.quoted() : scanner.token('a parameter value');
    } while (scanner.accept(44 /* , */));
    scanner.expectEnd();
  }
  return { scheme, params };
}

/** Parameters written as bare tokens; everything else goes in quotes (RFC 3261 25.1, RFC 7616 3.3-3.4). */
const CHALLENGE_TOKENS = new Set(['algorithm', 'stale', 'charset', 'userhash']);
const CREDENTIAL_TOKENS = new Set(['algorithm', 'nc', 'qop', 'charset', 'userhash']);

export function serializeChallenge(challenge: Challenge): string {
  return serialize(challenge, CHALLENGE_TOKENS);
}

export function serializeCredentials(credentials: Credentials): string {
  return serialize(credentials, CREDENTIAL_TOKENS);
}

function serialize(header: AuthHeader, bareTokens: ReadonlySet<string>): string {
  const parts: string[] = [];
  for (const name in header.params) {
    const value = header.params[name];
    parts.push(
      bareTokens.has(name) && isToken(value)
        ? `${name}=${value}`
        : `${name}="${value.replace(/["\\]/g, '\\$&')}"`,
    );
  }
  return parts.length === 0 ? header.scheme : `${header.scheme} ${parts.join(', ')}`;
}
