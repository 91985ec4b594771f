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
  for (let at = 6; at < total; ) {
    const vendor = packet.readUInt16BE(at);
    const type = packet.readUInt16BE(at + 2);
    const length = packet.readUInt16BE(at + 4);
    if (length < 6 || at + length > total) throw new Error(`bad chunk length ${length} at ${at}`);
    const body = packet.subarray(at + 6, at + length);
    if (vendor !== 0) throw new Error(`vendor ${vendor}`);
    out.chunkTypes?.push(type);
    switch (type) {
      case 1: out.family = body.readUInt8(0); break;
      case 2: out.protocol = body.readUInt8(0); break;
      case 3: case 4: setAddress(out, type === 3, [...body].join('.')); break;
      case 5: case 6: setAddress(out, type === 5, ipv6(body)); break;
      case 7: out.sourcePort = body.readUInt16BE(0); break;
      case 8: out.destinationPort = body.readUInt16BE(0); break;
      case 9: out.seconds = body.readUInt32BE(0); break;
      case 10: out.micros = body.readUInt32BE(0); break;
      case 11: out.protocolType = body.readUInt8(0); break;
      case 12: out.captureId = body.readUInt32BE(0); break;
      case 15: out.payload = body.toString('utf8'); break;
    }
    at += length;
  }
  return out as DecodedHep;
}

function setAddress(out: Partial<DecodedHep>, source: boolean, address: string): void {
  if (source) out.source = address;
  else out.destination = address;
}

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
