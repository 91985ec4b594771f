/**
 * A Homer collector for tests: a real UDP socket that decodes HEP v3 packets straight from the
 * spec (written apart from the server's encoder, so a shared mistake cannot pass unnoticed).
 */
import { createSocket, type Socket } from 'node:dgram';

export interface DecodedHep {
  family: number;
  protocol: number;
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
  seconds: number;
  micros: number;
  protocolType: number;
  captureId: number;
  payload: string;
  /** Every chunk type seen, in order. */
  chunkTypes: number[];
}

export function decodeHep(packet: Buffer): DecodedHep {
  if (packet.toString('latin1', 0, 4) !== 'HEP3') throw new Error('not HEP3');
  const total = packet.readUInt16BE(4);
  if (total !== packet.length) throw new Error(`length field ${total} != packet ${packet.length}`);
  const out: Partial<DecodedHep> = { chunkTypes: [] };
  for (let at = 6; at < total;) {
    const vendor = packet.readUInt16BE(at);
    const type = packet.readUInt16BE(at + 2);
    const length = packet.readUInt16BE(at + 4);
    if (length < 6 || at + length > total) throw new Error(`bad chunk length ${length} at ${at}`);
    const body = packet.subarray(at + 6, at + length);
    if (vendor !== 0) throw new Error(`vendor ${vendor}`);
    out.chunkTypes?.push(type);
    READERS[type]?.(out, body);
    at += length;
  }
  return out as DecodedHep;
}

/** How each chunk type of the HEP v3 spec (generic vendor) is read. */
const READERS: Record<number, (out: Partial<DecodedHep>, body: Buffer) => void> = {
  1: (out, body) => (out.family = body.readUInt8(0)),
  2: (out, body) => (out.protocol = body.readUInt8(0)),
  3: (out, body) => (out.source = [...body].join('.')),
  4: (out, body) => (out.destination = [...body].join('.')),
  5: (out, body) => (out.source = ipv6(body)),
  6: (out, body) => (out.destination = ipv6(body)),
  7: (out, body) => (out.sourcePort = body.readUInt16BE(0)),
  8: (out, body) => (out.destinationPort = body.readUInt16BE(0)),
  9: (out, body) => (out.seconds = body.readUInt32BE(0)),
  10: (out, body) => (out.micros = body.readUInt32BE(0)),
  11: (out, body) => (out.protocolType = body.readUInt8(0)),
  12: (out, body) => (out.captureId = body.readUInt32BE(0)),
  15: (out, body) => (out.payload = body.toString('utf8')),
};

function ipv6(body: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(body.readUInt16BE(i).toString(16));
  return groups.join(':');
}

export class HepReceiver {
  readonly packets: DecodedHep[] = [];
  private constructor(private readonly socket: Socket) {
    socket.on('message', (packet) => this.packets.push(decodeHep(packet)));
  }

  static async listen(): Promise<HepReceiver> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new HepReceiver(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
