/**
 * HEP v3 (the Homer Encapsulation Protocol, as sent by the C++ drachtio-server, Kamailio's
 * siptrace and FreeSWITCH): a "HEP3" header with the total length, then chunks of
 * vendor id (0 = generic), type and length (both including the 6-byte chunk header).
 */
import { ipv4Bytes, ipv6Bytes } from './ip-bytes';

export interface HepCapture {
  /** IPv6 addresses on both ends, else IPv4. */
  ipv6: boolean;
  protocol: 'udp' | 'tcp';
  source: { address: string; port: number };
  destination: { address: string; port: number };
  /** Capture time, ms since the epoch with a fraction for microseconds. */
  time: number;
  /** The capture agent id Homer groups nodes by (--homer-id). */
  captureId: number;
  payload: Buffer;
}

/** The chunk types used here (HEP v3 spec, "generic" vendor 0x0000). */
export const HEP_CHUNK = {
  ipFamily: 0x0001,
  ipProtocol: 0x0002,
  ipv4Source: 0x0003,
  ipv4Destination: 0x0004,
  ipv6Source: 0x0005,
  ipv6Destination: 0x0006,
  sourcePort: 0x0007,
  destinationPort: 0x0008,
  timestampSeconds: 0x0009,
  timestampMicros: 0x000a,
  protocolType: 0x000b,
  captureId: 0x000c,
  payload: 0x000f,
} as const;

const AF_INET = 2;
const AF_INET6 = 10;
const IPPROTO = { udp: 17, tcp: 6 } as const;
const PROTOCOL_SIP = 1;
const HEADER = 6;
/** The total length is a 16-bit field. */
export const HEP_MAX_PACKET = 0xffff;

/** The packet, or undefined when it cannot be encoded (address not literal, message too large). */
export function encodeHep3(capture: HepCapture): Buffer | undefined {
  const toBytes = capture.ipv6 ? ipv6Bytes : ipv4Bytes;
  const source = toBytes(capture.source.address);
  const destination = toBytes(capture.destination.address);
  if (!source || !destination || HEADER + capture.payload.length > HEP_MAX_PACKET) return undefined;
  const seconds = Math.floor(capture.time / 1000);
  const micros = Math.min(999_999, Math.round((capture.time - seconds * 1000) * 1000));
  const chunks = [
    uint(HEP_CHUNK.ipFamily, 1, capture.ipv6 ? AF_INET6 : AF_INET),
    uint(HEP_CHUNK.ipProtocol, 1, IPPROTO[capture.protocol]),
    bytes(capture.ipv6 ? HEP_CHUNK.ipv6Source : HEP_CHUNK.ipv4Source, source),
    bytes(capture.ipv6 ? HEP_CHUNK.ipv6Destination : HEP_CHUNK.ipv4Destination, destination),
    uint(HEP_CHUNK.sourcePort, 2, capture.source.port),
    uint(HEP_CHUNK.destinationPort, 2, capture.destination.port),
    uint(HEP_CHUNK.timestampSeconds, 4, seconds),
    uint(HEP_CHUNK.timestampMicros, 4, micros),
    uint(HEP_CHUNK.protocolType, 1, PROTOCOL_SIP),
    uint(HEP_CHUNK.captureId, 4, capture.captureId),
    bytes(HEP_CHUNK.payload, capture.payload),
  ];
  const length = HEADER + chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  if (length > HEP_MAX_PACKET) return undefined;
  const header = Buffer.alloc(HEADER);
  header.write('HEP3', 0, 'latin1');
  header.writeUInt16BE(length, 4);
  return Buffer.concat([header, ...chunks], length);
}

function chunkHeader(type: number, payloadLength: number): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(0x0000, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt16BE(HEADER + payloadLength, 4);
  return header;
}

function uint(type: number, size: 1 | 2 | 4, value: number): Buffer {
  const chunk = chunkHeader(type, size);
  const body = Buffer.alloc(size);
  body.writeUIntBE(value >>> 0, 0, size);
  return Buffer.concat([chunk, body]);
}

function bytes(type: number, value: Buffer): Buffer {
  return Buffer.concat([chunkHeader(type, value.length), value]);
}
