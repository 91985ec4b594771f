import { encodeHep3, HEP_MAX_PACKET } from '../../src/observability/hep';
import { decodeHep } from './hep-receiver';

/** The HEP v3 encoder alone; the daemon test checks the packets Homer would get end to end. */
describe('HEP v3 encoding', () => {
  const capture = {
    protocol: 'udp' as const,
    time: 1_700_000_000_123.456,
    captureId: 2001,
    payload: Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n\r\n'),
  };

  it('writes the IPv4 chunks the spec lists, in a packet whose length field is its size', () => {
    const packet = encodeHep3({
      ...capture,
      ipv6: false,
      source: { address: '10.1.2.3', port: 5060 },
      destination: { address: '192.0.2.9', port: 5080 },
    });
    expect(packet).toBeDefined();
    expect(decodeHep(packet as Buffer)).toMatchObject({
      family: 2,
      protocol: 17,
      source: '10.1.2.3',
      destination: '192.0.2.9',
      sourcePort: 5060,
      destinationPort: 5080,
      seconds: 1_700_000_000,
      micros: 123_456,
      protocolType: 1,
      captureId: 2001,
      payload: capture.payload.toString(),
      chunkTypes: [1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 15],
    });
  });

  it('writes IPv6 addresses, compressed and IPv4-mapped forms included, over TCP', () => {
    const packet = encodeHep3({
      ...capture,
      protocol: 'tcp',
      ipv6: true,
      source: { address: '2001:db8::1', port: 5061 },
      destination: { address: '::ffff:192.0.2.1', port: 5062 },
    });
    expect(decodeHep(packet as Buffer)).toMatchObject({
      family: 10,
      protocol: 6,
      source: '2001:db8:0:0:0:0:0:1',
      destination: '0:0:0:0:0:ffff:c000:201',
      chunkTypes: [1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 15],
    });
  });

  it('gives up on what does not fit HEP: a message past 64 KiB, an address that is not literal', () => {
    const huge = Buffer.alloc(HEP_MAX_PACKET);
    const ends = {
      source: { address: '10.0.0.1', port: 1 },
      destination: { address: '10.0.0.2', port: 2 },
    };
    expect(encodeHep3({ ...capture, ...ends, ipv6: false, payload: huge })).toBeUndefined();
    expect(
      encodeHep3({
        ...capture,
        ...ends,
        ipv6: false,
        destination: { address: 'homer.example', port: 9060 },
      }),
    ).toBeUndefined();
  });
});
