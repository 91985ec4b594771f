/**
 * Where a request goes: the host, port and transport of a SIP URI (RFC 3263 reduced to what a
 * B2BUA engine needs: literal addresses, A/AAAA lookups, the transport parameter).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Transport } from 'drachtio-protocol';
import { parseUri } from 'drachtio-sip';
import type { Destination } from './transport';
import { defaultPort } from './transport-kinds';

const TRANSPORT_PARAMS: readonly Transport[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

export async function resolveTarget(
  uri: string,
  fallbackTransport: Transport = 'udp',
): Promise<Destination> {
  const open = uri.indexOf('<');
  const text = open >= 0 ? uri.slice(open + 1, uri.indexOf('>', open)) : uri.trim();
  const parsed = parseUri(text);
  if (parsed.scheme !== 'sip' && parsed.scheme !== 'sips')
    throw new Error(`cannot send to a ${parsed.scheme}: URI`);
  const maddr = parsed.params.maddr;
  const host = stripBrackets(typeof maddr === 'string' ? maddr : parsed.host);
  const param = parsed.params.transport?.toLowerCase();
  const named = TRANSPORT_PARAMS.find((t) => t === param) ?? fallbackTransport;
  const transport = parsed.scheme === 'sips' ? secureOf(named) : named;
  const port = parsed.port ?? defaultPort(transport);
  // RFC 7118 5.2: a .invalid host is reached over the client's own connection (flows.ts), never looked up.
  const address =
    isIP(host) || host.toLowerCase().endsWith('.invalid') ? host : (await lookup(host)).address;
  return { address, port, transport };
}

/** RFC 3261 26.2: a sips: URI is never sent in clear. */
function secureOf(transport: Transport): Transport {
  return transport === 'ws' || transport === 'wss' ? 'wss' : 'tls';
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
