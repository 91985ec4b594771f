import { randomBytes } from 'node:crypto';
import type { AuthHeader } from 'drachtio-sip';
import type { ClientRequest } from './client-request';
import { DIGEST_ALGORITHMS, digestHA1, digestResponse } from './digest-math';
import type { IncomingResponse } from './incoming-response';

export interface Credentials {
  username: string;
  password: string;
}

export interface Authorization {
  /** Authorization (for 401) or Proxy-Authorization (for 407). */
  header: string;
  value: string;
  /** The challenge said our previous nonce had merely expired. */
  stale: boolean;
}

/** The header that answers a 401/407 Digest challenge, or undefined when it cannot be answered. */
export function authorizationFor(res: IncomingResponse, req: ClientRequest, credentials: Credentials): Authorization | undefined {
  const proxy = res.status === 407;
  let challenges: AuthHeader[] | undefined;
  try {
    challenges = res.get(proxy ? 'proxy-authenticate' : 'www-authenticate') as AuthHeader[] | undefined;
  } catch {
    return undefined;
  }
  const challenge = challenges?.find(
    (candidate) =>
      candidate.scheme.toLowerCase() === 'digest' &&
      (DIGEST_ALGORITHMS as readonly string[]).includes((candidate.params.algorithm ?? 'MD5').toUpperCase()),
  );
  if (!challenge) return undefined;
  const { realm = '', nonce = '', opaque, algorithm = 'MD5' } = challenge.params;
  const qop = challenge.params.qop
    ?.split(',')
    .map((option) => option.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const uri = req.uri ?? req.msg?.uri ?? '';
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = digestResponse(algorithm, {
    ha1: digestHA1(algorithm, credentials.username, realm, credentials.password),
    nonce,
    method: req.method,
    uri,
    ...(qop ? { qop, nc, cnonce } : {}),
  });
  const params = [
    `username="${credentials.username}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
    `algorithm=${algorithm}`,
    ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`] : []),
    ...(opaque !== undefined ? [`opaque="${opaque}"`] : []),
  ];
  return {
    header: proxy ? 'Proxy-Authorization' : 'Authorization',
    value: `Digest ${params.join(', ')}`,
    stale: challenge.params.stale?.toLowerCase() === 'true',
  };
}
