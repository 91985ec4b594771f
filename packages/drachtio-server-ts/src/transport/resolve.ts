/**
 * Where a request goes: the host, port and transport of a SIP URI (RFC 3263 reduced to what a
 * B2BUA engine needs: literal addresses, A/AAAA lookups, the transport parameter).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Transport } from 'drachtio-protocol';
import { parseUri } from 'drachtio-sip';
import type { Destination } from './transport';

export async function resolveTarget(
  uri: string,
  fallbackTransport: Transport = 'udp',
): Promise<Destination> {
  const open = uri.indexOf('<');
  const text = open >= 0 ? uri.slice(open + 1, uri.indexOf('>', open)) : uri.trim();
  const parsed = parseUri(text);
  // sips: needs TLS, which this engine does not offer; sending it in clear would break its promise.
  if (parsed.scheme !== 'sip') throw new Error(`cannot send to a ${parsed.scheme}: URI`);
  const maddr = parsed.params.maddr;
  const host = stripBrackets(typeof maddr === 'string' ? maddr : parsed.host);
  const param = parsed.params.transport?.toLowerCase();
  const transport: Transport = param === 'tcp' || param === 'udp' ? param : fallbackTransport;
  const port = parsed.port ?? 5060;
  const address = isIP(host) ? host : (await lookup(host)).address;
  return { address, port, transport };
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
