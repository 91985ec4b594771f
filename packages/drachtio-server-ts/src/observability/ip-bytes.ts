/** Literal IP addresses as the bytes HEP carries (RFC 4291 text forms, IPv4-mapped included). */
import { isIPv4, isIPv6 } from 'node:net';

export function ipv4Bytes(address: string): Buffer | undefined {
  if (!isIPv4(address)) return undefined;
  return Buffer.from(address.split('.').map(Number));
}

export function ipv6Bytes(address: string): Buffer | undefined {
  const bare = address.startsWith('[') ? address.slice(1, -1) : address;
  const zoneless = bare.split('%')[0];
  if (!isIPv6(zoneless)) return undefined;
  const out = Buffer.alloc(16);
  let text = zoneless;
  // A trailing dotted quad (::ffff:1.2.3.4) is the last 32 bits.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    ipv4Bytes(dotted[1])?.copy(out, 12);
    text = text.slice(0, -dotted[1].length) + '0:0';
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [
    ...headGroups,
    ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'),
    ...tailGroups,
  ];
  groups.forEach((group, index) => {
    if (dotted && index >= 6) return;
    out.writeUInt16BE(parseInt(group, 16), index * 2);
  });
  return out;
}
