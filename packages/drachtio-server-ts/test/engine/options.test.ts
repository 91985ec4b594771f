/** Engine options: bad values fail at construction with a clear message; contacts report real ports. */
import { Engine } from '../../src/engine';
import { parseListenContact } from '../../src/transport/contact';
import { startEngine } from './helpers';

test.each([
  [{ timers: { t1: 0 } }, /invalid SIP timer t1/],
  [{ timers: { t1: 1000, t2: 500 } }, /T2 \(500\) is smaller than T1 \(1000\)/],
  [{ timerC: -1 }, /invalid SIP timer timerC/],
  [{ contacts: ['sip:127.0.0.1:99999'] }, /invalid port/],
  [{ contacts: ['sip:127.0.0.1:5060;transport=sctp'] }, /unsupported transport "sctp"/],
  [{ contacts: ['not a contact'] }, /invalid SIP contact "not a contact"/],
])('%j is refused', (options, message) => {
  expect(() => new Engine(options)).toThrow(message);
});

test('undefined options keep their defaults', () => {
  expect(() => new Engine({ timers: { t1: undefined }, timerC: undefined })).not.toThrow();
});

test.each([
  ['sip:*:5060', { host: '0.0.0.0', port: 5060, transports: ['udp', 'tcp'], ipv6: false }],
  ['sip:[::1]:5070;transport=tcp', { host: '::1', port: 5070, transports: ['tcp'], ipv6: true }],
  [
    'sip:127.0.0.1;transport=udp,tcp',
    { host: '127.0.0.1', port: 5060, transports: ['udp', 'tcp'], ipv6: false },
  ],
])('contact %s', (contact, spec) => {
  expect(parseListenContact(contact)).toEqual(spec);
});

test('port 0 binds UDP and TCP on one ephemeral port, reported in contacts', async () => {
  const engine = await startEngine();
  try {
    const ports = engine.contacts.map((c) => Number(/:(\d+);/.exec(c)?.[1]));
    expect(engine.contacts).toHaveLength(2);
    expect(ports[0]).toBeGreaterThan(0);
    expect(ports[1]).toBe(ports[0]);
  } finally {
    await engine.stop();
  }
});

test('a request to a sips: URI is refused (no TLS)', async () => {
  const engine = await startEngine();
  try {
    await expect(
      engine.request({ method: 'OPTIONS', uri: 'sips:x@127.0.0.1' }, () => undefined),
    ).rejects.toMatchObject({
      code: 'invalid-argument',
    });
  } finally {
    await engine.stop();
  }
});

test('start() twice is refused; stop() twice is harmless', async () => {
  const engine = await startEngine();
  await expect(engine.start()).rejects.toThrow(/already started/);
  await engine.stop();
  await engine.stop();
});
