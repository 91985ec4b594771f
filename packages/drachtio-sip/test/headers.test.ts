import { Uri, parseTypedHeader, serializeHeaderValue, serializeUri } from '../src';
import { parseErrorOf } from './helpers';

/**
 * One table per typed header: header values, what their typed form must contain, and values
 * that must be rejected. Every valid value must also survive serialize(parse(x)) stably.
 */
type Valid = [value: string, expected: unknown];
type Table = { valid: Valid[]; invalid: string[] };

const tables: Record<string, Table> = {
  via: {
    valid: [
      [
        'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
        [
          {
            protocol: 'SIP/2.0',
            transport: 'UDP',
            host: '192.0.2.1',
            port: 5060,
            branch: 'z9hG4bK1',
          },
        ],
      ],
      [
        'SIP / 2.0 / tcp host.example.com ; branch = z9 ; rport',
        [{ transport: 'TCP', host: 'host.example.com', branch: 'z9', rport: true }],
      ],
      [
        'SIP/2.0/UDP [2001:db8::1]:5070;received=2001:db8::2;rport=5071;maddr=239.255.255.1;ttl=16',
        [
          {
            host: '[2001:db8::1]',
            port: 5070,
            received: '2001:db8::2',
            rport: 5071,
            maddr: '239.255.255.1',
          },
        ],
      ],
      [
        'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKa, SIP/2.0/UDP b',
        [{ transport: 'WSS', branch: 'z9hG4bKa' }, { host: 'b' }],
      ],
      [
        'SIP/2.0/UDP h;x-custom="quoted value";branch=z9',
        [{ branch: 'z9', params: { 'x-custom': '"quoted value"', branch: 'z9' } }],
      ],
    ],
    invalid: [
      '',
      'SIP/2.0 192.0.2.1',
      'SIP/2.0/UDP',
      'SIP/2.0/UDP host:99999',
      'SIP/2.0/UDP host;rport=abc',
      'SIP/2.0/UDP [::1',
      'SIP/2.0/UDP host;=x',
      'SIP/2.0/UDP host junk',
    ],
  },
  from: {
    valid: [
      [
        '"Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
        { name: 'Alice', tag: '1928301774', uri: 'sip:alice@atlanta.example.com' },
      ],
      [
        'Bob Smith <sips:bob:secret@biloxi.example.com:5061;transport=tls>',
        { name: 'Bob Smith', url: { scheme: 'sips', user: 'bob', password: 'secret', port: 5061 } },
      ],
      [
        'sip:+15551234567@gw.example.com;user=phone;tag=x',
        { angleBrackets: false, tag: 'x', url: { user: '+15551234567' } },
      ],
      ['<tel:+15551234567>;tag=77', { tag: '77', url: { scheme: 'tel', user: '+15551234567' } }],
      ['"a \\"quoted\\" name, with comma" <sip:a@b>', { name: 'a "quoted" name, with comma' }],
      ['<urn:service:sos>', { url: { scheme: 'urn', opaque: 'service:sos' } }],
    ],
    invalid: [
      '',
      '"unterminated <sip:a@b>',
      '<sip:a@b',
      'Alice <sip:a@bad host>',
      '<sip:a@b> junk',
      '"name" sip:a@b',
      '<sip:@host>',
    ],
  },
  to: {
    valid: [['Bob <sip:bob@biloxi.example.com>;tag=a6c85cf', { name: 'Bob', tag: 'a6c85cf' }]],
    invalid: ['<>'],
  },
  contact: {
    valid: [
      ['*', '*'],
      [
        '<sip:alice@192.0.2.1>;expires=3600;q=0.5, "B" <sip:b@h>',
        [{ expires: 3600, q: 0.5 }, { name: 'B' }],
      ],
      ['sip:a@h;expires=0', [{ expires: 0, angleBrackets: false }]],
      [
        '"Smith, John" <sip:j,s@h>;expires=5 , <sip:x@h>',
        [{ name: 'Smith, John', uri: 'sip:j,s@h', expires: 5 }, { uri: 'sip:x@h' }],
      ],
      [
        '<sip:a@h>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";reg-id=1',
        [
          {
            params: {
              '+sip.instance': '"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"',
              'reg-id': '1',
            },
          },
        ],
      ],
    ],
    invalid: ['<sip:a@h>;expires=soon', '<sip:a@h>;q=2', '<sip:a@h> <sip:b@h>'],
  },
  route: {
    valid: [
      [
        '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
        [{ uri: 'sip:p1.example.com;lr' }, { uri: 'sip:p2.example.com;lr' }],
      ],
    ],
    invalid: ['<sip:p1.example.com;lr>,, <'],
  },
  'record-route': {
    valid: [['<sip:[2001:db8::1];lr;ftag=abc>', [{ url: { host: '[2001:db8::1]' } }]]],
    invalid: ['<sip:p1.example.com;lr'],
  },
  'refer-to': {
    valid: [
      [
        '<sip:carol@cleveland.example.org?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345>',
        { url: { user: 'carol', headers: { Replaces: '12345@192.168.118.3;to-tag=12345' } } },
      ],
    ],
    invalid: ['carol'],
  },
  'p-asserted-identity': {
    valid: [
      [
        '"Cullen Jennings" <sip:fluffy@cisco.com>, <tel:+14085264000>',
        [{ name: 'Cullen Jennings' }, { url: { scheme: 'tel' } }],
      ],
    ],
    invalid: ['"x" <'],
  },
  cseq: {
    valid: [
      ['4711 INVITE', { seq: 4711, method: 'INVITE' }],
      ['  0   ACK ', { seq: 0, method: 'ACK' }],
      ['4294967295 BYE', { seq: 4294967295, method: 'BYE' }],
    ],
    invalid: ['', 'INVITE', '4294967296 INVITE', '1', '1 INVITE extra', '-1 INVITE'],
  },
  'max-forwards': {
    valid: [
      ['70', 70],
      ['0', 0],
    ],
    invalid: ['', '256', '-1', 'seventy', '70 70'],
  },
  'content-length': {
    valid: [
      ['0', 0],
      ['349', 349],
    ],
    invalid: ['x', '1.5'],
  },
  expires: { valid: [['3600', 3600]], invalid: ['Thu, 01 Dec 1994 16:00:00 GMT', '99999999999'] },
  rseq: { valid: [['988789', 988789]], invalid: ['4294967296'] },
  rack: {
    valid: [['776656 1 INVITE', { rseq: 776656, cseq: 1, method: 'INVITE' }]],
    invalid: ['776656 INVITE', '1 2', '1 2 INVITE x'],
  },
  'content-type': {
    valid: [
      ['application/sdp', { type: 'application', subtype: 'sdp', mediaType: 'application/sdp' }],
      [
        'Multipart/Mixed ; boundary="unique-boundary-1"; charset=UTF-8',
        {
          mediaType: 'multipart/mixed',
          params: { boundary: '"unique-boundary-1"', charset: 'UTF-8' },
        },
      ],
    ],
    invalid: ['application', 'application/', '/sdp', 'text/plain;', 'text/plain; charset="x'],
  },
  'session-expires': {
    valid: [
      ['1800;refresher=uas', { delta: 1800, refresher: 'uas' }],
      ['90', { delta: 90 }],
    ],
    invalid: ['1800;refresher=proxy', 'soon'],
  },
  'min-se': {
    valid: [
      ['90', { delta: 90 }],
      ['120;x=1', { delta: 120, params: { x: '1' } }],
    ],
    invalid: ['', 'x'],
  },
  require: {
    valid: [
      ['100rel, timer', ['100rel', 'timer']],
      ['', []],
    ],
    invalid: ['100rel timer', 'a,b c', 'bad@tag'],
  },
  supported: {
    valid: [['replaces,  norefersub ,timer', ['replaces', 'norefersub', 'timer']]],
    invalid: ['a;b'],
  },
  unsupported: { valid: [['foo', ['foo']]], invalid: ['"foo"'] },
  allow: { valid: [['INVITE, ACK, BYE', ['INVITE', 'ACK', 'BYE']]], invalid: ['INVITE ACK'] },
  'www-authenticate': {
    valid: [
      [
        'Digest realm="atlanta.example.com", domain="sip:boxesbybob.example.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5',
        [
          {
            scheme: 'Digest',
            params: {
              realm: 'atlanta.example.com',
              qop: 'auth',
              opaque: '',
              stale: 'FALSE',
              algorithm: 'MD5',
            },
          },
        ],
      ],
      ['Digest realm="a\\"b"', [{ params: { realm: 'a"b' } }]],
    ],
    invalid: [
      'Digest realm',
      'Digest realm="x" nonce="y"',
      'Digest realm="unterminated',
      'Digest ,',
    ],
  },
  'proxy-authenticate': {
    valid: [
      ['Digest realm="x", nonce="y", algorithm=SHA-256', [{ params: { algorithm: 'SHA-256' } }]],
    ],
    invalid: ['='],
  },
  authorization: {
    valid: [
      [
        'Digest username="bob", realm="r", nonce="n", uri="sip:r", response="0123", qop=auth, nc=00000001, cnonce="c"',
        [{ params: { username: 'bob', qop: 'auth', nc: '00000001' } }],
      ],
    ],
    invalid: ['Digest username=', 'Digest username="bob",'],
  },
  'proxy-authorization': {
    valid: [['Digest username="u", response="r"', [{ params: { username: 'u' } }]]],
    invalid: ['Digest "x"'],
  },
};

/** Reads what is parsed on first access (a name-addr's URI, parameter fields and maps), as a caller would. */
function readEverything(value: unknown): void {
  if (Array.isArray(value)) value.forEach(readEverything);
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const field of ['params', 'tag', 'expires', 'q', 'branch', 'received', 'rport', 'maddr'])
      void record[field];
    if ('uri' in record) readEverything(record.url);
  }
}

const PUBLIC_FIELDS = [
  'name',
  'uri',
  'tag',
  'expires',
  'q',
  'protocol',
  'transport',
  'host',
  'port',
  'branch',
  'received',
  'rport',
  'maddr',
  'seq',
  'method',
  'rseq',
  'cseq',
  'type',
  'subtype',
  'mediaType',
  'delta',
  'refresher',
  'scheme',
];

/** What a caller can see of a typed value, as plain data (parsed values keep private parsing state too). */
function publicView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publicView);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const view: Record<string, unknown> = {};
  for (const field of PUBLIC_FIELDS) if (record[field] !== undefined) view[field] = record[field];
  if (record.params !== undefined) view.params = { ...(record.params as object) };
  if ('uri' in record) view.url = serializeUri(record.url as Uri);
  return view;
}

function expectMatch(actual: unknown, expected: unknown): void {
  if (typeof expected === 'object' && expected !== null) expect(actual).toMatchObject(expected);
  else expect(actual).toEqual(expected);
}

describe.each(Object.entries(tables))('%s', (key, table) => {
  test.each(table.valid)('parses %j', (value, expected) => {
    expectMatch(parseTypedHeader(key, value), expected);
  });

  test.each(table.valid)('serialize(parse(%j)) is stable', (value) => {
    const once = serializeHeaderValue(key, parseTypedHeader(key, value));
    expect(serializeHeaderValue(key, parseTypedHeader(key, once))).toBe(once);
    expect(publicView(parseTypedHeader(key, once))).toEqual(
      publicView(parseTypedHeader(key, value)),
    );
  });

  if (table.invalid.length > 0) {
    test.each(table.invalid)('rejects %j with a SipParseError naming the header', (value) => {
      const error = parseErrorOf(() => readEverything(parseTypedHeader(key, value)));
      expect(error.part === key || error.part === 'uri').toBe(true);
      expect(error.reason.length).toBeGreaterThan(0);
    });
  }
});
