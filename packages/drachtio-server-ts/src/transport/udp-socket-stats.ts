/**
 * What the kernel knows of our UDP sockets, from /proc/net/udp and udp6: the bytes waiting in
 * their receive queues (rx_queue; the queueing delay SIP over UDP cannot see by itself) and
 * the datagrams dropped because a queue was full (drops). Linux only; elsewhere the stats are
 * undefined and their users do without.
 */
import { readFileSync } from 'node:fs';
import { parseListenContact } from './contact';

export interface UdpSocketStats {
  /** Bytes in the receive queues, as the kernel accounts them (buffers, not just payload). */
  queued: number;
  /** Datagrams dropped since the sockets opened. */
  drops: number;
}

/** The sums over the sockets bound to `ports`, or undefined without /proc. */
export function udpSocketStats(ports: ReadonlySet<number>): UdpSocketStats | undefined {
  let stats: UdpSocketStats | undefined;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    stats ??= { queued: 0, drops: 0 };
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm retrnsmt uid timeout inode ref pointer drops
      const port = parseInt(fields[1]?.split(':')[1] ?? '', 16);
      if (fields.length < 13 || !ports.has(port)) continue;
      stats.queued += parseInt(fields[4]?.split(':')[1] ?? '', 16) || 0;
      stats.drops += Number(fields[12]) || 0;
    }
  }
  return stats;
}

/** The ports of the UDP contacts among `contacts` (as Engine.contacts lists them). */
export function udpPorts(contacts: readonly string[]): Set<number> {
  return new Set(
    contacts
      .filter((contact) => contact.endsWith('transport=udp'))
      .map((contact) => parseListenContact(contact).port),
  );
}
