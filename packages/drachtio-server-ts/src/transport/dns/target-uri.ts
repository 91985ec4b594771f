/**
 * What RFC 3263 needs from a SIP URI before any lookup: the host (maddr wins, RFC 3261 19.1.1),
 * an explicit port, an explicit transport, and whether the host is a numeric address.
 */
import { isIP } from 'node:net';
import type { Transport } from 'drachtio-protocol';
import { parseUri } from 'drachtio-sip';

export interface TargetUri {
  host: string;
  port: number | undefined;
  transport: Transport | undefined;
  numeric: boolean;
}

/** Accepts a bare URI or a name-addr (`<sip:...>;params`). */
export function targetUri(uri: string): TargetUri {
  const open = uri.indexOf('<');
  const text = open >= 0 ? uri.slice(open + 1, uri.indexOf('>', open)) : uri.trim();
  const parsed = parseUri(text);
  // sips: needs TLS, which this engine does not offer; sending it in clear would break its promise.
  if (parsed.scheme !== 'sip') throw new Error(`cannot send to a ${parsed.scheme}: URI`);
  const maddr = parsed.params.maddr;
  const host = stripBrackets(typeof maddr === 'string' ? maddr : parsed.host);
  const param = parsed.params.transport?.toLowerCase();
  const transport = param === 'udp' || param === 'tcp' ? param : undefined;
  return { host, port: parsed.port, transport, numeric: isIP(host) !== 0 };
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
