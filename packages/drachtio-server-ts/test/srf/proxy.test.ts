import { ProtocolError, type ProxyNotice } from 'drachtio-protocol';
import { proxyCommand, proxyOutcome } from '../../src/control/srf/proxy';

/** drachtio-srf 5.0.29's frame for proxyRequest(req, dests, opts) (lib/drachtio-agent.js). */
const PLACEHOLDER = 'INVITE sip:b@192.0.2.1 SIP/2.0\r\nX-Tag: one\r\n\r\n';

/** Each frame's meta tokens (after its fresh message id) and SIP text. */
function frames(buffer: Buffer): { tokens: string[]; sip: string }[] {
  const out: { tokens: string[]; sip: string }[] = [];
  let rest = buffer.toString('utf8');
  while (rest.length > 0) {
    const hash = rest.indexOf('#');
    const length = Number(rest.slice(0, hash));
    const payload = Buffer.from(rest.slice(hash + 1), 'utf8')
      .subarray(0, length)
      .toString('utf8');
    rest = rest.slice(hash + 1 + payload.length);
    const eol = payload.indexOf('\r\n');
    const meta = eol === -1 ? payload : payload.slice(0, eol);
    out.push({ tokens: meta.split('|').slice(1), sip: eol === -1 ? '' : payload.slice(eol + 2) });
  }
  return out;
}

describe('srf codec: proxy', () => {
  test('the frame srf sends becomes the proxy command: flags, forking, timeouts, headers', () => {
    const args = [
      'txn1',
      'remainInDialog',
      'fullResponse',
      'followRedirects',
      'simultaneous',
      '2s',
      '1500ms',
      'sip:b@192.0.2.1',
      'sip:c@192.0.2.2:5070',
    ];
    expect(proxyCommand(args, PLACEHOLDER)).toEqual({
      transactionId: 'txn1',
      destinations: ['sip:b@192.0.2.1', 'sip:c@192.0.2.2:5070'],
      forking: 'simultaneous',
      recordRoute: true,
      followRedirects: true,
      provisionalTimeout: 2000,
      finalTimeout: 1500,
      headers: { 'X-Tag': 'one' },
    });
  });

  test('srf defaults (empty flags, serial, no timeouts) are a plain sequential proxy', () => {
    const args = ['txn1', '', 'fullResponse', '', 'serial', '', '', 'sip:b@192.0.2.1'];
    expect(proxyCommand(args, 'INVITE sip:b@192.0.2.1 SIP/2.0\r\n\r\n')).toEqual({
      transactionId: 'txn1',
      destinations: ['sip:b@192.0.2.1'],
      forking: 'sequential',
      recordRoute: false,
      followRedirects: false,
    });
  });

  test('no destination or a timeout srf would not write is refused', () => {
    expect(() => proxyCommand(['txn1', '', '', '', 'serial', '', ''], undefined)).toThrow(
      ProtocolError,
    );
    const bad = ['txn1', '', '', '', 'serial', 'soon', '', 'sip:b@192.0.2.1'];
    expect(() => proxyCommand(bad, undefined)).toThrow(/invalid proxy timeout "soon"/);
  });

  test('the outcome: one `continue` per branch, the upstream response last, then `done`', () => {
    const notice: ProxyNotice = {
      transactionId: 'txn1',
      finalStatus: 200,
      finalReason: 'OK',
      winner: 0,
      branches: [
        { uri: 'sip:a@192.0.2.1:5070', status: 200, reason: 'OK', received: true },
        { uri: 'sip:b@192.0.2.2', status: 486, reason: 'Busy Here', received: true },
      ],
    };
    const out = frames(proxyOutcome('m7', notice, Date.UTC(2020, 0, 1, 10, 11, 12, 345)));
    expect(out.map((f) => f.tokens)).toEqual([
      [
        'response',
        'm7',
        'OK',
        'network',
        '25',
        'udp',
        '192.0.2.2',
        '5060',
        '10:11:12.345000',
        '',
        '',
        'continue',
      ],
      [
        'response',
        'm7',
        'OK',
        'network',
        '18',
        'udp',
        '192.0.2.1',
        '5070',
        '10:11:12.345000',
        '',
        '',
        'continue',
      ],
      ['response', 'm7', 'OK', 'done'],
    ]);
    expect(out.map((f) => f.sip)).toEqual([
      'SIP/2.0 486 Busy Here\r\n\r\n',
      'SIP/2.0 200 OK\r\n\r\n',
      '',
    ]);
  });

  test('answered here (a loop): that answer is the last response srf sees', () => {
    const notice: ProxyNotice = {
      transactionId: 'txn1',
      finalStatus: 482,
      finalReason: 'Loop Detected',
      branches: [],
    };
    const out = frames(proxyOutcome('m7', notice, 0));
    expect(out.map((f) => f.tokens[3])).toEqual(['application', 'done']);
    expect(out[0]!.sip).toBe('SIP/2.0 482 Loop Detected\r\n\r\n');
  });
});
