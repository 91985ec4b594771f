/**
 * Listening contacts as drachtio-server writes them: `sip:127.0.0.1:5060;transport=udp,tcp`,
 * `sip:[::1]:5070`, `sip:*:5060` (every IPv4 interface). No transport parameter means both.
 * TLS, WS and WSS have a port each, so such a contact names that transport alone:
 * `sip:1.2.3.4:5061;transport=tls` (or `sips:1.2.3.4`), `sip:1.2.3.4:8443;transport=wss`.
 */
import type { Transport } from 'drachtio-protocol';
import { defaultPort } from './transport-kinds';

const TRANSPORTS: readonly Transport[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

export interface ListenSpec {
  /** The address to bind; '0.0.0.0' or '::' for every interface. */
  host: string;
  port: number;
  transports: Transport[];
  ipv6: boolean;
}

/** drachtio-server's default: port 5060 on every IPv4 interface, over UDP and TCP. */
export const DEFAULT_CONTACTS: readonly string[] = ['sip:*:5060;transport=udp,tcp'];

const CONTACT = /^(sips?):(?:\[([^\]]+)\]|([^:;\s]+))(?::(\d+))?((?:;[^;\s]*)*)$/i;

export function parseListenContact(contact: string): ListenSpec {
  const match = CONTACT.exec(contact.trim());
  if (!match)
    throw new Error(
      `invalid SIP contact "${contact}" (expected e.g. sip:127.0.0.1:5060;transport=udp,tcp)`,
    );
  const secure = match[1]?.toLowerCase() === 'sips';
  const ipv6 = match[2] !== undefined;
  const rawHost = match[2] ?? match[3] ?? '';
  const host = rawHost === '*' ? (ipv6 ? '::' : '0.0.0.0') : rawHost;
  let transports: Transport[] = secure ? ['tls'] : ['udp', 'tcp'];
  for (const param of (match[5] ?? '').split(';')) {
    const [name, value] = param.split('=');
    if (name?.toLowerCase() !== 'transport' || !value) continue;
    transports = value
      .toLowerCase()
      .split(',')
      .map((t) => {
        const known = TRANSPORTS.find((name) => name === t);
        if (!known) throw new Error(`unsupported transport "${t}" in SIP contact "${contact}"`);
        return known;
      });
  }
  if (transports.length > 1 && transports.some((t) => t !== 'udp' && t !== 'tcp'))
    throw new Error(`SIP contact "${contact}": tls, ws and wss each need a contact of their own`);
  if (secure && transports.some((t) => t !== 'tls' && t !== 'wss'))
    throw new Error(`SIP contact "${contact}": a sips: contact is tls or wss`);
  const port = match[4] === undefined ? defaultPort(transports[0] ?? 'udp') : Number(match[4]);
  if (port > 65535) throw new Error(`invalid port in SIP contact "${contact}"`);
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
