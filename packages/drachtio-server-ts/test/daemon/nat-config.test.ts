/**
 * The NAT and RFC 3263 settings as an operator gives them: the C++ drachtio-server's flags
 * (`--external-ip`, `--local-net`, `--dns-name` after the `--contact` they belong to, `--mtu`,
 * and ours `--dns-server`, `--outbound-proxy`), or the config file's `sip` section.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { ContactFlags } from '../../src/config/contact-flags';
import { CliProcess } from './run-cli';

const A = 'sip:10.0.0.5:5060;transport=udp,tcp';
const B = 'sip:192.168.0.5:5080;transport=udp';

test('--external-ip, --local-net and --dns-name apply to the --contact before them', () => {
  const flags = new ContactFlags();
  flags.contact(A);
  flags.externalIp('203.0.113.5');
  flags.localNet('10.0.0.0/8');
  flags.localNet('172.16.0.0/12');
  flags.contact(B);
  flags.dnsName('sip.example.com');
  expect(flags.contacts).toEqual([A, B]);
  expect(flags.addressing).toEqual({
    [A]: { externalIp: '203.0.113.5', localNet: ['10.0.0.0/8', '172.16.0.0/12'] },
    [B]: { dnsName: 'sip.example.com' },
  });
});

test('--external-ip before any --contact is refused', () => {
  expect(() => new ContactFlags().externalIp('203.0.113.5')).toThrow(
    '--external-ip applies to the --contact before it, and there is none',
  );
});

test('flags become the engine settings', () => {
  const config = loadConfig(
    {
      secret: 's',
      noconfig: true,
      contact: [A],
      addressing: { [A]: { externalIp: '203.0.113.5', localNet: ['10.0.0.0/8'] } },
      dnsServer: ['127.0.0.1:5353'],
      outboundProxy: 'sip:proxy.example.com',
      mtu: '1400',
    },
    {},
  );
  expect(config.sip).toEqual({
    addressing: { [A]: { externalIp: '203.0.113.5', localNet: ['10.0.0.0/8'] } },
    dnsServers: ['127.0.0.1:5353'],
    outboundProxy: 'sip:proxy.example.com',
    mtu: 1400,
  });
});

test.each([
  [
    { contact: [A], addressing: { [B]: { externalIp: '203.0.113.5' } } },
    /NAT settings for 'sip:192\.168\.0\.5:5080;transport=udp', which is not a listening contact/,
  ],
  [
    { contact: [A], addressing: { [A]: { externalIp: 'nat.example.com' } } },
    /invalid external IP 'nat\.example\.com'/,
  ],
  [
    { contact: [A], addressing: { [A]: { localNet: ['10.0.0/8'] } } },
    /invalid local network "10\.0\.0\/8"/,
  ],
  [{ mtu: '100' }, /invalid MTU '100': expected bytes from 200 to 65535/],
  [{ dnsServer: ['dns.example.com'] }, /invalid DNS server 'dns\.example\.com'/],
  [{ dnsServer: ['127.0.0.1:70000'] }, /invalid DNS server '127\.0\.0\.1:70000'/],
  [{ outboundProxy: 'proxy.example.com' }, /invalid outbound proxy 'proxy\.example\.com'/],
])('a bad NAT or DNS flag is one clear error %#', (flags, message) => {
  expect(() => loadConfig({ secret: 's', noconfig: true, ...flags }, {})).toThrow(message);
});

describe('the config file', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'drachtio-nat-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('takes the same settings under sip, and flags win', () => {
    const file = join(dir, 'nat.json');
    const sip = {
      addressing: { [A]: { externalIp: '203.0.113.5', dnsName: 'sip.example.com' } },
      dnsServers: ['[::1]:53'],
      outboundProxy: 'sip:10.0.0.9:5060',
      mtu: 1300,
    };
    writeFileSync(file, JSON.stringify({ secret: 's', contacts: [A], sip }));
    expect(loadConfig({ file }, {}).sip).toEqual(sip);
    expect(loadConfig({ file, mtu: '9000' }, {}).sip).toMatchObject({ mtu: 9000 });
  });

  test('refuses an unknown key in a contact NAT entry', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        secret: 's',
        contacts: [A],
        sip: { addressing: { [A]: { externalIP: 'x' } } },
      }),
    );
    expect(() => loadConfig({ file }, {})).toThrow(
      /externalIP: unknown key; known keys: externalIp, localNet, dnsName/,
    );
  });
});

test('the daemon refuses --local-net with no --contact before it', async () => {
  const cli = new CliProcess(['--secret', 's', '--noconfig', '--local-net', '10.0.0.0/8']);
  const result = await cli.exited;
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(
    /--local-net applies to the --contact before it, and there is none/,
  );
});
