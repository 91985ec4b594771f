/** Which address a contact advertises to a peer: external behind NAT, private on a local net. */
import { AdvertisedAddress } from '../../src/transport/advertised-address';

test('without NAT settings every peer sees the listening address', () => {
  expect(new AdvertisedAddress('10.0.0.5').hostFor('198.51.100.9')).toBe('10.0.0.5');
});

test('behind 1:1 NAT a peer outside the local nets sees the external address', () => {
  const nat = new AdvertisedAddress('10.0.0.5', {
    externalIp: '203.0.113.5',
    localNet: ['10.0.0.0/8', '192.168.1.7', 'fd00::/8'],
  });
  expect(nat.hostFor('198.51.100.9')).toBe('203.0.113.5');
  expect(nat.hostFor('10.20.30.40')).toBe('10.0.0.5');
  expect(nat.hostFor('192.168.1.7')).toBe('10.0.0.5');
  expect(nat.hostFor('192.168.1.8')).toBe('203.0.113.5');
  expect(nat.hostFor('fd12::1')).toBe('10.0.0.5');
  expect(nat.hostFor('2001:db8::1')).toBe('203.0.113.5');
});

test('a DNS name is advertised instead of the external address', () => {
  const nat = new AdvertisedAddress('10.0.0.5', {
    externalIp: '203.0.113.5',
    dnsName: 'sip.example.com',
  });
  expect(nat.hostFor('198.51.100.9')).toBe('sip.example.com');
});

test('a local network that is not CIDR is refused with a clear message', () => {
  expect(() => new AdvertisedAddress('10.0.0.5', { localNet: ['10.0.0.0/33'] })).toThrow(
    'invalid local network "10.0.0.0/33" (expected e.g. 10.0.0.0/8 or fd00::/8)',
  );
});
