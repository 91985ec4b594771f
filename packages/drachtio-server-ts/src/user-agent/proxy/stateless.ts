/**
 * What the proxy sends without a transaction (RFC 3261 16.11): a 2xx that comes after its
 * transaction is gone, or that matches none (a stray of one of our branches), goes up by the
 * Via below ours; an ACK for a 2xx, which has no transaction, goes down as is.
 */
import type { Transport } from 'drachtio-protocol';
import { parseVia, splitList, type SipMessage, type Via } from 'drachtio-sip';
import type { Destination } from '../../transport/transport';
import type { UserAgentCore } from '../core';

/** Where a response goes by a Via (RFC 3261 18.2.2, RFC 3581): received and rport win. */
export function viaDestination(via: Via): Destination | undefined {
  const transport = via.transport.toLowerCase();
  if (transport !== 'udp' && transport !== 'tcp') return undefined;
  const host = (via.received ?? via.host).replace(/^\[|\]$/g, '');
  const port = typeof via.rport === 'number' ? via.rport : (via.port ?? 5060);
  return { address: host, port, transport: transport as Transport };
}

/** Sends `wire` (the response with our Via popped) to the Via below ours. */
export function forwardStatelessly(core: UserAgentCore, response: SipMessage, wire: Buffer): void {
  const vias = response.getHeaders('via').flatMap((line) => splitList(line));
  const next = vias[1];
  let destination: Destination | undefined;
  try {
    destination = next === undefined ? undefined : viaDestination(parseVia(next));
  } catch {
    destination = undefined;
  }
  if (!destination) return core.logger.info('response with no Via to forward it by; dropped');
  core.transport.send(wire, destination, undefined, (error) =>
    core.logger.info({ err: error, destination }, 'forwarded response not delivered'),
  );
}
