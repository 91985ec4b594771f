import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthHeader } from 'drachtio-sip';
import { DIGEST_ALGORITHMS, digestHA1, digestResponse, type DigestAlgorithm } from './digest-math';
import type { Middleware } from './middleware';
import type { Request } from './request';
import type { Response } from './response';

/** What the password lookup may hand back: the password itself, or a precomputed HA1. */
export type PasswordResult = string | { ha1: string } | null | undefined;

/**
 * `fn(realm, user, cb)`: find the user's secret. Call back with the password (or `{ ha1 }`),
 * or with null/undefined for an unknown user; or return a promise of the same.
 */
export type PasswordLookup = (
  realm: string,
  user: string,
  callback: (err: Error | null, result?: PasswordResult) => void,
) => void | Promise<PasswordResult>;

export interface DigestAuthOptions {
  /** Seconds a nonce stays valid; a later use gets a new challenge with stale=true (default 300). */
  nonceTtl?: number;
  /** Algorithm offered in the challenge (default 'MD5'; 'SHA-256' per RFC 7616). */
  algorithm?: DigestAlgorithm;
  /** Challenge as a proxy (407 + Proxy-Authenticate) instead of a registrar (401 + WWW-Authenticate). */
  proxy?: boolean;
  /** Nonces remembered at once; the oldest is forgotten beyond this (default 10000). */
  maxNonces?: number;
}

/** Who authenticated, available to later middleware as `req.authorization`. */
export interface AuthorizedUser {
  username: string;
  realm: string;
}

interface NonceState {
  issuedAt: number;
  /** Highest nonce-count seen: a request must count up, so a replayed one is refused. */
  lastCount: number;
}

/**
 * Digest authentication middleware (RFC 2617 / RFC 7616, qop=auth): challenges requests
 * without credentials, verifies the response against the password or HA1 from `lookup`,
 * refuses replayed nonce-counts, and marks expired nonces stale so clients retry silently.
 */
export function digestAuth(realm: string, lookup: PasswordLookup, options: DigestAuthOptions = {}): Middleware {
  if (typeof realm !== 'string' || realm.length === 0) throw new TypeError('digestAuth(realm, fn): realm must be a non-empty string');
  if (typeof lookup !== 'function') throw new TypeError('digestAuth(realm, fn): fn(realm, user, callback) is required');
  const algorithm = options.algorithm ?? 'MD5';
  if (!DIGEST_ALGORITHMS.includes(algorithm)) throw new TypeError(`digestAuth: unsupported algorithm ${algorithm}`);
  const ttlMs = (options.nonceTtl ?? 300) * 1000;
  const maxNonces = options.maxNonces ?? 10_000;
  const status = options.proxy ? 407 : 401;
  const challengeHeader = options.proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
  const credentialsHeader = options.proxy ? 'proxy-authorization' : 'authorization';
  const nonces = new Map<string, NonceState>();

  function challenge(res: Response, stale: boolean): void {
    const nonce = randomBytes(16).toString('hex');
    if (nonces.size >= maxNonces) nonces.delete(nonces.keys().next().value as string);
    nonces.set(nonce, { issuedAt: Date.now(), lastCount: 0 });
    const params = [`realm="${realm}"`, `nonce="${nonce}"`, `algorithm=${algorithm}`, 'qop="auth"', ...(stale ? ['stale=true'] : [])];
    res.send(status, { headers: { [challengeHeader]: `Digest ${params.join(', ')}` } });
  }

  return (req: Request, res: Response, next) => {
    let credentials: AuthHeader | undefined;
    try {
      credentials = (req.get(credentialsHeader) as AuthHeader[] | undefined)?.find(
        (candidate) => candidate.scheme.toLowerCase() === 'digest' && candidate.params.realm === realm,
      );
    } catch {
      return res.send(400, `Malformed ${credentialsHeader} header`);
    }
    if (!credentials) return challenge(res, false);

    const p = credentials.params;
    if (!p.username || !p.nonce || !p.uri || !p.response) return res.send(400, `Incomplete ${credentialsHeader} header`);
    const state = nonces.get(p.nonce);
    if (!state) return challenge(res, true);
    if (Date.now() - state.issuedAt > ttlMs) {
      nonces.delete(p.nonce);
      return challenge(res, true);
    }
    if ((p.algorithm ?? 'MD5').toUpperCase() !== algorithm.toUpperCase()) return challenge(res, false);
    if (p.qop !== undefined) {
      const count = /^[0-9a-fA-F]{8}$/.test(p.nc ?? '') ? parseInt(p.nc as string, 16) : NaN;
      if (p.qop !== 'auth' || !p.cnonce || !(count > state.lastCount)) return challenge(res, false);
      state.lastCount = count;
    } else {
      // RFC 2069 style (no qop): the nonce is good for one request only.
      nonces.delete(p.nonce);
    }

    const verify = (result: PasswordResult): void => {
      if (result === null || result === undefined) return void res.send(403);
      const ha1 = typeof result === 'string' ? digestHA1(algorithm, p.username, realm, result) : result.ha1;
      const expected = digestResponse(algorithm, {
        ha1,
        nonce: p.nonce,
        method: req.method,
        uri: p.uri,
        ...(p.qop !== undefined ? { qop: p.qop, nc: p.nc, cnonce: p.cnonce } : {}),
      });
      if (!sameText(expected, p.response.toLowerCase())) return void res.send(403);
      req.authorization = { username: p.username, realm };
      next();
    };

    let settled = false;
    const callback = (err: Error | null, result?: PasswordResult): void => {
      if (settled) return;
      settled = true;
      if (err) next(err);
      else verify(result);
    };
    const returned = lookup(realm, p.username, callback);
    if (returned && typeof returned.then === 'function') returned.then((result) => callback(null, result), (err: Error) => callback(err));
  };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
