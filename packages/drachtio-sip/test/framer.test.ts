import { SipParseError, StreamFramer, parseMessage } from '../src';
import { corpus, request } from './helpers';

const messages = corpus().map(([, bytes]) => bytes);
const stream = Buffer.concat(messages);

describe('StreamFramer', () => {
  test('cuts a stream into messages whatever the chunk boundaries', () => {
    for (const chunkSize of [1, 2, 3, 7, 64, 1000, stream.length]) {
      const framer = new StreamFramer();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += chunkSize)
        out.push(...framer.push(stream.subarray(i, i + chunkSize)));
      expect(out.map((b) => b.toString('latin1'))).toEqual(
        messages.map((b) => b.toString('latin1')),
      );
      expect(framer.pendingBytes).toBe(0);
    }
  });

  test('skips CRLF keep-alives between messages and reports each CRLFCRLF ping', () => {
    let pings = 0;
    const framer = new StreamFramer({ onPing: () => pings++ });
    const one = Buffer.from(request());
    const out = [
      ...framer.push(Buffer.from('\r\n\r\n')),
      ...framer.push(Buffer.concat([one, Buffer.from('\r\n')])),
      ...framer.push(Buffer.from('\r\n\r\n\r')),
      ...framer.push(Buffer.concat([Buffer.from('\n'), one])),
    ];
    expect(out).toHaveLength(2);
    expect(pings).toBe(2);
    expect(parseMessage(out[1]).get('call-id')).toBe('call-1@example.com');
  });

  test('bytes handed out as a message stay as they were while more bytes arrive', () => {
    const framer = new StreamFramer();
    const first = Buffer.from(request([], 'first body'));
    const second = Buffer.from(request([], 'second body!'));
    const [message] = framer.push(Buffer.concat([first, second.subarray(0, 20)]));
    const copy = Buffer.from(message);
    const third = Buffer.from(request([], 'x'.repeat(100_000)));
    const rest = [
      ...framer.push(second.subarray(20, 40)),
      ...framer.push(second.subarray(40)),
      ...framer.push(third),
    ];
    expect(message.equals(copy)).toBe(true);
    expect(rest.map((b) => b.toString())).toEqual([second.toString(), third.toString()]);
  });

  test('a header section trickling in one byte at a time is handled in linear time', () => {
    const framer = new StreamFramer({ maxHeaderBytes: 1_200_000 });
    const bytes = Buffer.from(request(['X-Long: ' + 'z'.repeat(1_000_000)]));
    const out: Buffer[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...framer.push(bytes.subarray(i, i + 1)));
    expect(out).toHaveLength(1);
    expect(parseMessage(out[0]).get('x-long')).toHaveLength(1_000_000);
  });

  test('holds a partial message until its body is complete', () => {
    const framer = new StreamFramer();
    const bytes = Buffer.from(request([], 'x'.repeat(500)));
    expect(framer.push(bytes.subarray(0, bytes.length - 1))).toEqual([]);
    expect(framer.pendingBytes).toBe(bytes.length - 1);
    expect(framer.push(bytes.subarray(bytes.length - 1))).toHaveLength(1);
  });

  test.each([
    [
      'no Content-Length',
      Buffer.from(request().replace('Content-Length: 0\r\n', '')),
      {},
      'no Content-Length on a stream transport',
    ],
    [
      'a malformed Content-Length',
      Buffer.from(request().replace('Content-Length: 0', 'Content-Length: x')),
      {},
      'malformed Content-Length',
    ],
    [
      'conflicting Content-Lengths',
      Buffer.from(request(['l: 5'])),
      {},
      'conflicting Content-Length headers',
    ],
    [
      'a body larger than allowed',
      Buffer.from(request([], 'x'.repeat(100))),
      { maxBodyBytes: 99 },
      'Content-Length 100 exceeds 99',
    ],
    [
      'a header section larger than allowed',
      Buffer.from(request(['X-Big: ' + 'y'.repeat(300)])),
      { maxHeaderBytes: 200 },
      'header section exceeds 200 bytes',
    ],
    [
      'an endless header section',
      Buffer.from('OPTIONS sip:a SIP/2.0\r\nX: ' + 'z'.repeat(5000)),
      { maxHeaderBytes: 1000 },
      'header section exceeds 1000 bytes',
    ],
  ])('reports %s as a framing error, and stays failed', (_what, bytes, options, reason) => {
    const framer = new StreamFramer(options);
    let error: unknown;
    try {
      framer.push(bytes);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SipParseError);
    expect(error).toMatchObject({ part: 'framing', reason });
    expect(() => framer.push(Buffer.from(request()))).toThrow(SipParseError);
  });
});
