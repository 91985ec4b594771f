import fc from 'fast-check';
import {
  MessageReader,
  ProtocolError,
  decodePayload,
  encodeFrame,
  encodeMessage,
  encodePayload,
  type Envelope,
  type Frame,
} from '../src';

const invite = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds',
  'From: "Zoë ☎" <sip:zoe@example.com>;tag=1928301774',
  'To: <sip:bob@example.com>',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
  'Content-Type: text/plain',
  'Content-Length: 12',
  '',
  'héllo wörld',
].join('\r\n');

const notice: Envelope = {
  type: 'notify',
  command: 'request',
  data: {
    transactionId: 't1',
    source: { address: '10.0.0.1', port: 5060, transport: 'udp' },
    receivedAt: 1700000000000,
  },
};

function readAll(frames: Buffer): Array<Frame | ProtocolError> {
  return new MessageReader().push(frames);
}

describe('JSON codec v1', () => {
  it('round-trips an envelope with raw SIP carrying multi-byte UTF-8', () => {
    const [frame] = readAll(encodeMessage({ envelope: notice, sip: invite }));
    expect(frame).not.toBeInstanceOf(ProtocolError);
    expect((frame as Frame).envelope).toEqual(notice);
    expect((frame as Frame).sip).toBe(invite);
  });

  it('keeps a binary SIP body byte for byte in sipBytes', () => {
    const sip = Buffer.concat([
      Buffer.from('MESSAGE sip:a SIP/2.0\r\nContent-Length: 4\r\n\r\n'),
      Buffer.from([0xff, 0x00, 0x0a, 0xfe]),
    ]);
    const frame = decodePayload(encodePayload({ envelope: notice, sip }));
    expect(Buffer.from(frame.sipBytes as Uint8Array)).toEqual(sip);
  });

  it('reads an envelope without SIP', () => {
    const ping: Envelope = { type: 'request', rid: '1', command: 'ping', data: {} };
    expect(decodePayload(encodePayload({ envelope: ping }))).toEqual({ envelope: ping });
  });

  it('decodes several messages from one read and one split across reads', () => {
    const a = encodeMessage({ envelope: { type: 'request', rid: 'a', command: 'ping', data: {} } });
    const b = encodeMessage({ envelope: notice, sip: invite });
    const reader = new MessageReader();
    const stream = Buffer.concat([a, a, b]);
    const first = reader.push(stream.subarray(0, a.length * 2 + 7));
    const second = reader.push(stream.subarray(a.length * 2 + 7));
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(1);
    expect((second[0] as Frame).sip).toBe(invite);
  });

  it('reports malformed JSON as bad-json and keeps reading', () => {
    const out = readAll(
      Buffer.concat([encodeFrame('{"type":'), encodeMessage({ envelope: notice })]),
    );
    expect((out[0] as ProtocolError).code).toBe('bad-json');
    expect((out[1] as Frame).envelope).toEqual(notice);
  });

  it('reports an unknown command with the rid so the reply can name it', () => {
    const [error] = readAll(
      encodeFrame(JSON.stringify({ type: 'request', rid: 'r9', command: 'dance', data: {} })),
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe('unknown-command');
    expect((error as ProtocolError).rid).toBe('r9');
  });

  it.each([
    [
      'respond without transactionId',
      { command: 'respond', data: { status: 200 } },
      /'transactionId' must be a string/,
    ],
    [
      'respond with a string status',
      { command: 'respond', data: { transactionId: 't', status: '200' } },
      /'status' must be an integer/,
    ],
    [
      'respond with status 700',
      { command: 'respond', data: { transactionId: 't', status: 700 } },
      /between 100 and 699/,
    ],
    ['route without verbs', { command: 'route', data: {} }, /'verbs' must be an array/],
    [
      'route with a non-token verb',
      { command: 'route', data: { verbs: ['IN VITE'] } },
      /SIP methods only/,
    ],
    [
      'authenticate without versions',
      { command: 'authenticate', data: { secret: 's' } },
      /'versions'/,
    ],
    [
      'request outside a dialog without uri',
      { command: 'request', data: { method: 'OPTIONS' } },
      /'uri' is required/,
    ],
    [
      'a header with a line break',
      {
        command: 'request',
        data: { method: 'INFO', uri: 'sip:a', headers: { 'X-A': 'a\r\nVia: evil' } },
      },
      /line break/,
    ],
    [
      'a body that is not a string',
      { command: 'ack', data: { transactionId: 't', body: 5 } },
      /'body' must be a string/,
    ],
    ['data that is not an object', { command: 'cancel', data: 'x' }, /'data' must be an object/],
    [
      'a retry that names its own uri',
      { command: 'request', data: { method: 'REGISTER', retryOf: 'ct-1', uri: 'sip:b' } },
      /'uri' comes from it/,
    ],
    [
      'a retry that brings a body',
      { command: 'request', data: { method: 'INVITE', retryOf: 'ct-1', body: 'v=0' } },
      /'body' comes from it/,
    ],
  ])('rejects %s as invalid-argument', (_name, fields, message) => {
    try {
      decodePayload(Buffer.from(JSON.stringify({ type: 'request', rid: 'r1', ...fields })));
      throw new Error('expected a ProtocolError');
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe('invalid-argument');
      expect((err as ProtocolError).rid).toBe('r1');
      expect((err as ProtocolError).message).toMatch(message);
    }
  });

  it('accepts a retry of a challenged request that carries only its method and credentials', () => {
    const data = {
      method: 'REGISTER',
      retryOf: 'ct-1',
      headers: { Authorization: 'Digest username="a"' },
    };
    const frame = decodePayload(
      Buffer.from(JSON.stringify({ type: 'request', rid: 'r', command: 'request', data })),
    );
    expect(frame.envelope).toMatchObject({ command: 'request', data });
  });

  it('accepts a route command with no verbs (an application that only sends requests)', () => {
    const frame = decodePayload(
      Buffer.from(
        JSON.stringify({ type: 'request', rid: 'r', command: 'route', data: { verbs: [] } }),
      ),
    );
    expect(frame.envelope).toMatchObject({ command: 'route', data: { verbs: [] } });
  });

  it.each([
    ['not an object', '[1,2]'],
    ['an unknown type', '{"type":"hello"}'],
    ['a request without rid', '{"type":"request","command":"ping","data":{}}'],
    ['a response with a non-boolean ok', '{"type":"response","rid":"1","ok":"yes"}'],
    [
      'an error response with an unknown code',
      '{"type":"response","rid":"1","ok":false,"error":{"code":"x","message":"m"}}',
    ],
    ['a notify without data', '{"type":"notify","command":"request"}'],
    [
      'a dialog notice with an unknown event',
      '{"type":"notify","command":"dialog","data":{"dialogId":"d","event":"gone","role":"uas","callId":"c"}}',
    ],
    [
      'a terminated dialog notice without reason',
      '{"type":"notify","command":"dialog","data":{"dialogId":"d","event":"terminated","role":"uas","callId":"c"}}',
    ],
  ])('rejects an envelope that is %s', (_name, json) => {
    expect(() => decodePayload(Buffer.from(json))).toThrow(ProtocolError);
  });

  it('frames a message exactly like encodeFrame(encodePayload(...)), for any text or bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.option(fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array())),
        (text, sip) => {
          const message = {
            envelope: {
              ...notice,
              data: { ...notice.data, transactionId: text || 't' },
            } as Envelope,
            sip: sip ?? undefined,
          };
          expect(encodeMessage(message)).toEqual(encodeFrame(encodePayload(message)));
        },
      ),
    );
  });

  it('turns randomly mutated frames into messages or typed errors, never exceptions', () => {
    const valid = Buffer.concat([
      encodeMessage({ envelope: notice, sip: invite }),
      encodeMessage({
        envelope: {
          type: 'request',
          rid: 'x',
          command: 'respond',
          data: { transactionId: 't', status: 180 },
        },
      }),
    ]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 64 }),
        (mutations, chunkSize) => {
          const bytes = Buffer.from(valid);
          for (const [at, value] of mutations) bytes[at] = value;
          const reader = new MessageReader({ maxFrameSize: 4096 });
          for (let at = 0; at < bytes.length; at += chunkSize) {
            for (const item of reader.push(bytes.subarray(at, at + chunkSize))) {
              if (item instanceof ProtocolError) expect(typeof item.code).toBe('string');
              else expect(['request', 'response', 'notify']).toContain(item.envelope.type);
            }
          }
        },
      ),
    );
  });
});
