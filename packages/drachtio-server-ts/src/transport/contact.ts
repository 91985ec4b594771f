/**
 * Listening contacts as drachtio-server writes them: `sip:127.0.0.1:5060;transport=udp,tcp`,
 * `sip:[::1]:5070`, `sip:*:5060` (every IPv4 interface). No transport parameter means both.
 */
import type { Transport } from 'drachtio-protocol';

export interface ListenSpec {
  /** The address to bind; '0.0.0.0' or '::' for every interface. */
  host: string;
  port: number;
  transports: Transport[];
  ipv6: boolean;
}

/** drachtio-server's default: port 5060 on every IPv4 interface, over UDP and TCP. */
export const DEFAULT_CONTACTS: readonly string[] = ['sip:*:5060;transport=udp,tcp'];

const CONTACT = /^sips?:(?:\[([^\]]+)\]|([^:;\s]+))(?::(\d+))?((?:;[^;\s]*)*)$/i;

export function parseListenContact(contact: string): ListenSpec {
  const match = CONTACT.exec(contact.trim());
  if (!match)
    throw new Error(
      `invalid SIP contact "${contact}" (expected e.g. sip:127.0.0.1:5060;transport=udp,tcp)`,
    );
  const ipv6 = match[1] !== undefined;
  const rawHost = match[1] ?? match[2] ?? '';
  const host = rawHost === '*' ? (ipv6 ? '::' : '0.0.0.0') : rawHost;
  const port = match[3] === undefined ? 5060 : Number(match[3]);
  if (port > 65535) throw new Error(`invalid port in SIP contact "${contact}"`);
  let transports: Transport[] = ['udp', 'tcp'];
  for (const param of (match[4] ?? '').split(';')) {
    const [name, value] = param.split('=');
    if (name?.toLowerCase() !== 'transport' || !value) continue;
    transports = value
      .toLowerCase()
      .split(',')
      .map((t) => {
        if (t !== 'udp' && t !== 'tcp')
          throw new Error(`unsupported transport "${t}" in SIP contact "${contact}"`);
        return t;
      });
  }
  return { host, port, transports, ipv6 };
}

/** The contact string reported once bound: one per transport, with the actual port. */
export function formatContact(host: string, port: number, transport: Transport): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `sip:${hostPart}:${port};transport=${transport}`;
}

/** `host:port` for a Via sent-by or a Contact, IPv6 in brackets. */
export function hostport(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
