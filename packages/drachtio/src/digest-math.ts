import { createHash } from 'node:crypto';

/** Algorithms of RFC 2617 / RFC 7616 this package speaks (the -sess variants are not offered). */
export const DIGEST_ALGORITHMS = ['MD5', 'SHA-256'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

function hash(algorithm: string, text: string): string {
  return createHash(algorithm.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(text, 'utf8')
    .digest('hex');
}

/** HA1 = H(username:realm:password). */
export function digestHA1(algorithm: string, username: string, realm: string, password: string): string {
  return hash(algorithm, `${username}:${realm}:${password}`);
}

export interface DigestInput {
  ha1: string;
  nonce: string;
  method: string;
  uri: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}

/** The request-digest: H(HA1:nonce[:nc:cnonce:qop]:HA2) with HA2 = H(method:uri) (qop=auth or none). */
export function digestResponse(algorithm: string, input: DigestInput): string {
  const ha2 = hash(algorithm, `${input.method}:${input.uri}`);
  const middle = input.qop ? `${input.nc}:${input.cnonce}:${input.qop}:` : '';
  return hash(algorithm, `${input.ha1}:${input.nonce}:${middle}${ha2}`);
}
