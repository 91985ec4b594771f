import { detectCodec } from '../../src/control/srf/detect';
import { parseSrfFrame, srfFrame } from '../../src/control/srf/srf-frame';
import { metaTokens } from '../../src/control/srf/meta';

describe('srf codec: detection, frames and meta tokens', () => {
  test('the first payload byte tells JSON (`{`) from srf (a message id)', () => {
    expect(detectCodec(Buffer.from('57#{"type":"request"'))).toBe('json');
    expect(detectCodec(Buffer.from('64#0b8a2c1e-1d2f|authenticate|cymru|'))).toBe('srf');
    expect(detectCodec(Buffer.from('57'))).toBeUndefined();
    expect(detectCodec(Buffer.from('57#'))).toBeUndefined();
    // Not a length prefix at all: the JSON reader reports the bad prefix.
    expect(detectCodec(Buffer.from('GET / HTTP/1.1'))).toBe('json');
  });

  test('a frame is split at the first CRLF into the meta tokens and the SIP text', () => {
    const frame = parseSrfFrame('m1|sip|t1|d1\r\nBYE sip:x SIP/2.0\r\nX-A: 1\r\n\r\n');
    expect(frame).toEqual({
      msgId: 'm1',
      type: 'sip',
      args: ['t1', 'd1'],
      sip: 'BYE sip:x SIP/2.0\r\nX-A: 1\r\n\r\n',
    });
    expect(parseSrfFrame('m2|route|invite')).toEqual({
      msgId: 'm2',
      type: 'route',
      args: ['invite'],
      sip: undefined,
    });
  });

  test('outgoing frames count bytes, carry a fresh message id and put SIP after a CRLF', () => {
    const frame = srfFrame(['response', 'm1', 'OK', 'é'], 'SIP/2.0 200 OK\r\n\r\n').toString(
      'utf8',
    );
    const hash = frame.indexOf('#');
    const payload = frame.slice(hash + 1);
    expect(Number(frame.slice(0, hash))).toBe(Buffer.byteLength(payload));
    expect(payload).toMatch(/^[0-9a-f-]{36}\|response\|m1\|OK\|é\r\nSIP\/2\.0 200 OK\r\n\r\n$/);
  });

  test('meta tokens in the C++ order: source, bytes, transport, address, port, time', () => {
    const tokens = metaTokens(
      'network',
      'ab',
      { address: '192.0.2.1', port: 5070, transport: 'tcp' },
      Date.UTC(2026, 0, 1, 12, 34, 56, 789),
    );
    expect(tokens).toEqual(['network', '2', 'tcp', '192.0.2.1', '5070', '12:34:56.789000']);
  });
});
