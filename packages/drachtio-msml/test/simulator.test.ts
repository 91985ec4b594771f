import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { parseMessage, SipRequest, type SipResponse } from 'drachtio-sip';
import { runSipp } from 'drachtio-test-kit';
import { commands, document, moml, parseResult, toXml } from '../src';
import { MediaServerSimulator, type MsmlTrace } from '../src/simulator';

describe('media-server simulator over SIP', () => {
  let ms: MediaServerSimulator;
  const traces: MsmlTrace[] = [];

  beforeEach(async () => {
    traces.length = 0;
    ms = new MediaServerSimulator({ script: { playMs: 100 } });
    ms.on('msml', (t) => traces.push(t));
    await ms.start();
  });
  afterEach(() => ms.stop());

  test('sipp as the client: INVITE/200/ACK, MSML play by INFO, playDone and dialog exit by INFO, BYE', async () => {
    const result = await runSipp({
      scenario: join(__dirname, 'scenarios', 'simulator-uac.xml'),
      remote: ms.hostport,
      timeoutMs: 15000,
    });
    expect(result.errors).toBe('');
    expect(result.successfulCalls).toBe(1);
    expect(traces.map((t) => t.direction)).toEqual(['received', 'sent', 'sent', 'sent']);
    expect(ms.connectionIds).toEqual([]);
  });

  test('a raw UAC: retransmitted INFO is answered from the cache, not executed twice; unknown dialog is 481; non-MSML INFO is 415', async () => {
    const client = await udpClient();
    try {
      const invite = request(
        'INVITE',
        ms.hostport,
        client.port,
        { tag: 'a1', callId: 'c1', cseq: 1, branch: 'z9hG4bK-1' },
        'application/sdp',
        'v=0\r\n',
      );
      const answer = await client.exchange(invite, ms.hostport);
      expect(answer.status).toBe(200);
      const toTag = answer.get('to').tag as string;
      client.send(
        request('ACK', ms.hostport, client.port, {
          tag: 'a1',
          callId: 'c1',
          cseq: 1,
          branch: 'z9hG4bK-2',
          toTag,
        }),
        ms.hostport,
      );

      const start = toXml(document(commands.createconference({ name: 'once' })));
      const info = request(
        'INFO',
        ms.hostport,
        client.port,
        { tag: 'a1', callId: 'c1', cseq: 2, branch: 'z9hG4bK-3', toTag },
        'application/msml+xml',
        start,
      );
      const first = await client.exchange(info, ms.hostport);
      const again = await client.exchange(info, ms.hostport);
      expect(parseResult(first.body)).toEqual({ response: 200, ok: true, confId: 'conf:once' });
      expect(again.body).toBe(first.body); // a second execution would have answered 432
      expect(ms.executor.conferenceIds).toEqual(['conf:once']);

      const stranger = request(
        'INFO',
        ms.hostport,
        client.port,
        { tag: 'zz', callId: 'nope', cseq: 1, branch: 'z9hG4bK-4', toTag: 'x' },
        'application/msml+xml',
        start,
      );
      expect((await client.exchange(stranger, ms.hostport)).status).toBe(481);
      const text = request(
        'INFO',
        ms.hostport,
        client.port,
        { tag: 'a1', callId: 'c1', cseq: 3, branch: 'z9hG4bK-5', toTag },
        'text/plain',
        'hello',
      );
      expect((await client.exchange(text, ms.hostport)).status).toBe(415);
      const bad = toXml(document(moml.play({ audio: 'file://x' }))); // a primitive is no command
      const badInfo = request(
        'INFO',
        ms.hostport,
        client.port,
        { tag: 'a1', callId: 'c1', cseq: 4, branch: 'z9hG4bK-6', toTag },
        'application/msml+xml',
        bad,
      );
      expect(parseResult((await client.exchange(badInfo, ms.hostport)).body).response).toBe(401);

      const bye = request('BYE', ms.hostport, client.port, {
        tag: 'a1',
        callId: 'c1',
        cseq: 5,
        branch: 'z9hG4bK-7',
        toTag,
      });
      expect((await client.exchange(bye, ms.hostport)).status).toBe(200);
      expect(ms.connectionIds).toEqual([]);
    } finally {
      await client.close();
    }
  });
});

interface Ids {
  tag: string;
  callId: string;
  cseq: number;
  branch: string;
  toTag?: string;
}

function request(
  method: string,
  hostport: string,
  localPort: number,
  ids: Ids,
  contentType?: string,
  body = '',
): string {
  return new SipRequest(method, `sip:msml@${hostport}`, {
    headers: [
      ['via', `SIP/2.0/UDP 127.0.0.1:${localPort};branch=${ids.branch}`],
      ['from', `<sip:test@127.0.0.1:${localPort}>;tag=${ids.tag}`],
      ['to', `<sip:msml@${hostport}>${ids.toTag ? `;tag=${ids.toTag}` : ''}`],
      ['call-id', ids.callId],
      ['cseq', `${ids.cseq} ${method}`],
      ['contact', `<sip:test@127.0.0.1:${localPort}>`],
      ['max-forwards', '70'],
      ...(contentType ? ([['content-type', contentType]] as [string, string][]) : []),
    ],
    body,
  }).toString();
}

async function udpClient() {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const waiting: ((res: SipResponse) => void)[] = [];
  socket.on('message', (data) => {
    const message = parseMessage(data);
    if ('status' in message && message.status >= 200) waiting.shift()?.(message);
  });
  const send = (text: string, hostport: string) => {
    const [host, port] = hostport.split(':');
    socket.send(text, Number(port), host);
  };
  return {
    port: socket.address().port,
    send,
    exchange(text: string, hostport: string): Promise<SipResponse> {
      const answered = new Promise<SipResponse>((resolve) => waiting.push(resolve));
      send(text, hostport);
      return answered;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
