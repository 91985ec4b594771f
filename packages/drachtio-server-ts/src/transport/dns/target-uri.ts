/**
 * What RFC 3263 needs from a SIP URI before any lookup: the host (maddr wins, RFC 3261 19.1.1),
 * an explicit port, an explicit transport (a sips: URI's is always a secure one), and whether
 * the host needs no lookup at all.
 */
import { isIP } from 'node:net';
import type { Transport } from 'drachtio-protocol';
import { parseUri } from 'drachtio-sip';

const TRANSPORT_PARAMS: readonly Transport[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

export interface TargetUri {
  host: string;
  port: number | undefined;
  transport: Transport | undefined;
  /** A numeric address, or a `.invalid` host (RFC 7118 5.2) reached over the client's own connection. */
  literal: boolean;
  /** A sips: URI: never sent in clear (RFC 3261 26.2). */
  secure: boolean;
}

/** Accepts a bare URI or a name-addr (`<sip:...>;params`). */
export function targetUri(uri: string): TargetUri {
  const open = uri.indexOf('<');
  const text = open >= 0 ? uri.slice(open + 1, uri.indexOf('>', open)) : uri.trim();
  const parsed = parseUri(text);
  if (parsed.scheme !== 'sip' && parsed.scheme !== 'sips')
    throw new Error(`cannot send to a ${parsed.scheme}: URI`);
  const maddr = parsed.params.maddr;
  const host = stripBrackets(typeof maddr === 'string' ? maddr : parsed.host);
  const param = parsed.params.transport?.toLowerCase();
  const named = TRANSPORT_PARAMS.find((t) => t === param);
  const secure = parsed.scheme === 'sips';
  const literal = isIP(host) !== 0 || host.toLowerCase().endsWith('.invalid');
  return {
    host,
    port: parsed.port,
    transport: secure && named ? secureOf(named) : named,
    literal,
    secure,
  };
}

/** RFC 3261 26.2: a sips: URI is never sent in clear. */
export function secureOf(transport: Transport): Transport {
  return transport === 'ws' || transport === 'wss' ? 'wss' : 'tls';
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
