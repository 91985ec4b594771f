/**
 * Datagrams the kernel dropped on our UDP sockets (receive buffer full), from the "drops"
 * column of /proc/net/udp and udp6: the one loss SIP over UDP cannot see by itself. Linux only;
 * elsewhere the count stays undefined and the metric is left out.
 */
import { readFileSync } from 'node:fs';

/** The sum of drops over the sockets bound to `ports`, or undefined without /proc. */
export function udpDrops(ports: ReadonlySet<number>): number | undefined {
  let total: number | undefined;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    total ??= 0;
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode ref pointer drops
      const port = parseInt(fields[1]?.split(':')[1] ?? '', 16);
      if (fields.length >= 13 && ports.has(port)) total += Number(fields[12]) || 0;
    }
  }
  return total;
}
