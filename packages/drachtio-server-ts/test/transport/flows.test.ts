/** The flow table alone (a pure unit test): what a message teaches, what it may not, its bound. */
import type { Connection } from '../../src/transport/transport';
import { FlowTable } from '../../src/transport/flows';

function connection(address: string, port = 40000): Connection & { closed: boolean } {
  return {
    id: port,
    remote: { address, port, transport: 'wss' },
    closed: false,
    write: () => undefined,
  };
}

function registerFrom(contact: string, via = 'SIP/2.0/WSS abc.invalid;branch=z9hG4bK1'): Buffer {
  return Buffer.from(
    [
      'REGISTER sip:example.com SIP/2.0',
      `Via: ${via}`,
      'From: <sip:a@example.com>;tag=1',
      'To: <sip:a@example.com>',
      'Call-ID: c1',
      'CSeq: 1 REGISTER',
      `Contact: <${contact}>`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
}

it('learns a .invalid contact by name, whatever transport the URI says', () => {
  const flows = new FlowTable(10);
  const browser = connection('192.0.2.1');
  flows.learn(registerFrom('sip:a@ABC.invalid;transport=ws'), 'wss', browser);
  expect(flows.lookup({ address: 'abc.invalid', port: 80, transport: 'ws' })).toBe(browser);
  expect(flows.lookup({ address: 'abc.invalid', port: 443, transport: 'wss' })).toBe(browser);
});

it('learns an address contact only when it is the connection source address', () => {
  const flows = new FlowTable(10);
  const client = connection('192.0.2.1');
  flows.learn(registerFrom('sip:a@198.51.100.7:5061;transport=tls'), 'tls', client);
  expect(flows.lookup({ address: '198.51.100.7', port: 5061, transport: 'tls' })).toBeUndefined();
  flows.learn(registerFrom('sip:a@192.0.2.1:5061;transport=tls'), 'tls', client);
  expect(flows.lookup({ address: '192.0.2.1', port: 5061, transport: 'tls' })).toBe(client);
  expect(flows.lookup({ address: '192.0.2.1', port: 5061, transport: 'tcp' })).toBeUndefined();
});

it('forgets closed connections and stays within its bound', () => {
  const flows = new FlowTable(3);
  const connections = [1, 2, 3, 4, 5].map((n) => connection(`192.0.2.${n}`, 40000 + n));
  connections.forEach((c, n) => flows.learn(registerFrom(`sip:a@c${n}.invalid`), 'ws', c));
  expect(flows.size).toBe(3);
  expect(flows.lookup({ address: 'c0.invalid', port: 80, transport: 'ws' })).toBeUndefined();
  expect(flows.lookup({ address: 'c4.invalid', port: 80, transport: 'ws' })).toBe(connections[4]);
  connections[4].closed = true;
  expect(flows.lookup({ address: 'c4.invalid', port: 80, transport: 'ws' })).toBeUndefined();
});

it('ignores a message that does not parse', () => {
  const flows = new FlowTable(3);
  flows.learn(Buffer.from('not sip at all'), 'ws', connection('192.0.2.1'));
  expect(flows.size).toBe(0);
});
