import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Challenge, Credentials } from '../headers/auth';
import { splitList } from '../grammar/list';
import { emptyStringMap } from '../grammar/params';

/**
 * HTTP Digest as SIP uses it: RFC 2617 (MD5, qop auth / auth-int) and RFC 7616 (SHA-256,
 * SHA-512-256, the -sess variants). Both sides: a UAS verifies Authorization headers, a UAC
 * answers a 401/407 challenge.
 */
const HASHES: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

export type DigestQop = 'auth' | 'auth-int';

export interface DigestInput {
  /** MD5 (the default), MD5-sess, SHA-256, SHA-256-sess, SHA-512-256, SHA-512-256-sess. */
  algorithm?: string;
  username: string;
  realm: string;
  /** The password, or instead `ha1` (H(username:realm:password), as a user database may store it). */
  password?: string;
  ha1?: string;
  method: string;
  /** The digest-uri (the "uri" parameter), not necessarily the Request-URI. */
  uri: string;
  nonce: string;
  /** Omitted for the RFC 2069 form without qop. */
  qop?: DigestQop;
  /** Nonce count as 8 hex digits ("00000001"); required with qop. */
  nc?: string;
  cnonce?: string;
  /** Message body, for qop=auth-int. */
  body?: string;
}

export function isSupportedAlgorithm(algorithm: string | undefined): boolean {
  return HASHES[baseAlgorithm(algorithm)] !== undefined;
}

function baseAlgorithm(algorithm: string | undefined): string {
  const upper = (algorithm ?? 'MD5').toUpperCase();
  return upper.endsWith('-SESS') ? upper.slice(0, -5) : upper;
}

function hash(algorithm: string | undefined, text: string): string {
  const name = HASHES[baseAlgorithm(algorithm)];
  if (name === undefined) throw new RangeError(`unsupported digest algorithm ${algorithm}`);
  return createHash(name).update(text, 'utf8').digest('hex');
}

/** H(username:realm:password) for the algorithm (without the -sess step). */
export function computeHA1(
  algorithm: string | undefined,
  username: string,
  realm: string,
  password: string,
): string {
  return hash(algorithm, `${username}:${realm}:${password}`);
}

/** The "response" parameter value for these inputs. */
export function computeDigest(input: DigestInput): string {
  const { algorithm, nonce, cnonce = '', qop } = input;
  let ha1 = input.ha1 ?? computeHA1(algorithm, input.username, input.realm, input.password ?? '');
  if ((algorithm ?? '').toUpperCase().endsWith('-SESS'))
    ha1 = hash(algorithm, `${ha1}:${nonce}:${cnonce}`);
  const ha2 =
    qop === 'auth-int'
      ? hash(algorithm, `${input.method}:${input.uri}:${hash(algorithm, input.body ?? '')}`)
      : hash(algorithm, `${input.method}:${input.uri}`);
  if (qop === undefined) return hash(algorithm, `${ha1}:${nonce}:${ha2}`);
  return hash(algorithm, `${ha1}:${nonce}:${input.nc ?? '00000001'}:${cnonce}:${qop}:${ha2}`);
}

export interface VerifyOptions {
  /** Method of the request carrying the credentials. */
  method: string;
  password?: string;
  ha1?: string;
  /** Request body, needed when the credentials use qop=auth-int. */
  body?: string;
}

/**
 * Whether Authorization / Proxy-Authorization credentials carry the right response for this
 * password. Checking that the nonce is one the server issued (and fresh) is the caller's job.
 */
export function verifyDigest(credentials: Credentials, options: VerifyOptions): boolean {
  const p = credentials.params;
  if (credentials.scheme.toLowerCase() !== 'digest') return false;
  if (
    p.username === undefined ||
    p.realm === undefined ||
    p.nonce === undefined ||
    p.uri === undefined ||
    p.response === undefined
  )
    return false;
  if (!isSupportedAlgorithm(p.algorithm)) return false;
  const qop = p.qop;
  if (qop !== undefined && qop !== 'auth' && qop !== 'auth-int') return false;
  if (qop !== undefined && (p.nc === undefined || p.cnonce === undefined)) return false;
  const expected = computeDigest({
    algorithm: p.algorithm,
    username: p.username,
    realm: p.realm,
    password: options.password,
    ha1: options.ha1,
    method: options.method,
    uri: p.uri,
    nonce: p.nonce,
    qop,
    nc: p.nc,
    cnonce: p.cnonce,
    body: options.body,
  });
  const given = Buffer.from(p.response.toLowerCase(), 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export interface AnswerOptions {
  username: string;
  password: string;
  method: string;
  /** The digest-uri: the Request-URI of the request being (re)sent. */
  uri: string;
  body?: string;
  /** How many times this nonce was used, counting this one; default 1. */
  nonceCount?: number;
  /** Client nonce; random when omitted. */
  cnonce?: string;
}

/** The qop the client will use: auth when offered (cheaper, body-independent), else auth-int. */
function chooseQop(offered: string | undefined): DigestQop | undefined {
  if (offered === undefined) return undefined;
  const options = splitList(offered).map((q) => q.toLowerCase());
  if (options.includes('auth')) return 'auth';
  if (options.includes('auth-int')) return 'auth-int';
  return undefined;
}

/**
 * Credentials answering a WWW-Authenticate / Proxy-Authenticate challenge; serialize them with
 * `set('authorization', [credentials])` (or proxy-authorization for a 407).
 */
export function answerChallenge(challenge: Challenge, options: AnswerOptions): Credentials {
  const c = challenge.params;
  if (challenge.scheme.toLowerCase() !== 'digest')
    throw new RangeError(`unsupported authentication scheme ${challenge.scheme}`);
  if (c.realm === undefined || c.nonce === undefined)
    throw new RangeError('challenge lacks realm or nonce');
  const qop = chooseQop(c.qop);
  if (c.qop !== undefined && qop === undefined)
    throw new RangeError(`no supported qop in "${c.qop}"`);
  const cnonce = options.cnonce ?? randomBytes(8).toString('hex');
  const nc = (options.nonceCount ?? 1).toString(16).padStart(8, '0');
  const response = computeDigest({
    algorithm: c.algorithm,
    username: options.username,
    realm: c.realm,
    password: options.password,
    method: options.method,
    uri: options.uri,
    nonce: c.nonce,
    qop,
    nc,
    cnonce,
    body: options.body,
  });
  const params = emptyStringMap();
  params.username = options.username;
  params.realm = c.realm;
  params.nonce = c.nonce;
  params.uri = options.uri;
  params.response = response;
  if (c.algorithm !== undefined) params.algorithm = c.algorithm;
  if (qop !== undefined) {
    params.qop = qop;
    params.nc = nc;
    params.cnonce = cnonce;
  }
  if (c.opaque !== undefined) params.opaque = c.opaque;
  return { scheme: 'Digest', params };
}

/** Of several challenges (RFC 8760 lets a server offer SHA-256 and MD5), the strongest supported one. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  const rank = (c: Challenge) =>
    ['MD5', 'SHA-256', 'SHA-512-256'].indexOf(baseAlgorithm(c.params.algorithm));
  let best: Challenge | undefined;
  for (const challenge of challenges) {
    if (
      challenge.scheme.toLowerCase() !== 'digest' ||
      !isSupportedAlgorithm(challenge.params.algorithm)
    )
      continue;
    if (best === undefined || rank(challenge) > rank(best)) best = challenge;
  }
  return best;
}

export interface ChallengeOptions {
  realm: string;
  /** Random when omitted. */
  nonce?: string;
  algorithm?: string;
  /** Default "auth". Pass null for a challenge without qop (RFC 2069 style). */
  qop?: string | null;
  opaque?: string;
  /** The previous nonce was valid but expired: the client may retry without asking the user. */
  stale?: boolean;
}

/** A challenge for a 401 WWW-Authenticate or 407 Proxy-Authenticate header. */
export function createChallenge(options: ChallengeOptions): Challenge {
  const params = emptyStringMap();
  params.realm = options.realm;
  params.nonce = options.nonce ?? randomBytes(16).toString('hex');
  if (options.algorithm !== undefined) params.algorithm = options.algorithm;
  if (options.qop !== null) params.qop = options.qop ?? 'auth';
  if (options.opaque !== undefined) params.opaque = options.opaque;
  if (options.stale) params.stale = 'true';
  return { scheme: 'Digest', params };
}
