/** Small reads of a raw SIP message the codec needs and the engine does not hand over. */

export function rawHeader(raw: string, ...names: string[]): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n') >>> 0);
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (names.includes(name)) return line.slice(colon + 1).trim();
  }
  return undefined;
}

export function tagOf(nameAddr: string | undefined): string {
  return /;\s*tag=([^;>\s]+)/i.exec(nameAddr ?? '')?.[1] ?? '';
}

/** srf's dialog id for a message of the dialog: `<Call-ID>;from-tag=<From tag>`. */
export function srfIdOf(raw: string): string {
  return `${rawHeader(raw, 'call-id', 'i') ?? ''};from-tag=${tagOf(rawHeader(raw, 'from', 'f'))}`;
}

/** A response's status code and its CSeq method. */
export function statusOf(raw: string): { status: number; method: string } {
  const status = Number(/^SIP\/2\.0 (\d{3})/.exec(raw)?.[1] ?? 0);
  const method = (rawHeader(raw, 'cseq')?.split(/\s+/)[1] ?? '').toUpperCase();
  return { status, method };
}

/** Where a request we sent went: the Request-URI's host and port, the Via's transport. */
export function destinationOf(raw: string): {
  address: string;
  port: number;
  transport: 'udp' | 'tcp';
} {
  const uri = /^\S+ (\S+) SIP\/2\.0/.exec(raw)?.[1] ?? '';
  const hostport = /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^;:?>]+)(?::(\d+))?/i.exec(uri);
  const transport = /^SIP\/2\.0\/(\w+)/i.exec(rawHeader(raw, 'via', 'v') ?? '')?.[1]?.toLowerCase();
  return {
    address: hostport?.[1] ?? '',
    port: Number(hostport?.[2] ?? 5060),
    transport: transport === 'tcp' ? 'tcp' : 'udp',
  };
}
