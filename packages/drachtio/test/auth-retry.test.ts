import type { CommandMap, CommandName, SendRequestData } from 'drachtio-protocol';
import { parseAuthHeader, parseMessage, type SipRequest } from 'drachtio-sip';
import drachtio from '../src/index';
import { tick } from './support/fake-wire';

/**
 * What an authentication retry asks the server for (RFC 3261 8.1.3.5, 22.2, docs/protocol.md
 * 6.4): the challenged transaction (`retryOf`) and the credentials, nothing else — the server
 * re-sends its own request with CSeq + 1. The server's side is drachtio-server-ts's tests; the
 * two together against sipp are in e2e/sending.
 */

/** The request as the server would write it: the first from `data`, a retry as a copy of the challenged one. */
function wireRequest(
  data: SendRequestData,
  sequence: number,
  challenged: string | undefined,
): string {
  const credentials = Object.entries(data.headers ?? {}).map(
    ([name, value]) => `${name}: ${String(value)}`,
  );
  if (data.retryOf !== undefined && challenged !== undefined) {
    const cseq = (parseMessage(challenged) as SipRequest).get('cseq');
    return challenged
      .replace(/^CSeq: .*$/m, `CSeq: ${cseq.seq + 1} ${cseq.method}`)
      .replace('\r\n\r\n', `\r\n${credentials.join('\r\n')}\r\n\r\n`);
  }
  const lines = [
    `${data.method} ${data.uri ?? 'sip:peer@192.0.2.1'} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-${sequence}`,
    `From: <sip:drachtio@127.0.0.1>;tag=server-tag-${sequence}`,
    'To: <sip:alice@example.com>',
    `Call-ID: server-call-${sequence}`,
    `CSeq: ${sequence} ${data.method}`,
    ...credentials,
    `Content-Length: ${Buffer.byteLength(data.body ?? '')}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${data.body ?? ''}`;
}

function challenge(request: string, status: 401 | 407, stale = false): string {
  const copy = request.split('\r\n').filter((line) => /^(Via|From|To|Call-ID|CSeq):/.test(line));
  const header = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  const reason = status === 401 ? 'Unauthorized' : 'Proxy Authentication Required';
  return [
    `SIP/2.0 ${status} ${reason}`,
    ...copy,
    `${header}: Digest realm="example.com", nonce="n${Date.now()}"${stale ? ', stale=true' : ''}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** An app whose 'request' commands are answered as the server would, and recorded. */
function recordingApp(): {
  app: drachtio.Application;
  requests: SendRequestData[];
  raws: string[];
  respond(raw: string): void;
} {
  const app = drachtio();
  const { agent } = drachtio.internalsOf(app);
  const requests: SendRequestData[] = [];
  const raws: string[] = [];
  jest.spyOn(agent, 'command').mockImplementation(((
    command: CommandName,
    data: CommandMap[CommandName][0],
  ) => {
    if (command !== 'request') return Promise.resolve({});
    const request = data as SendRequestData;
    requests.push(request);
    raws.push(wireRequest(request, requests.length, raws[raws.length - 1]));
    return Promise.resolve({
      transactionId: `out-${requests.length}`,
      callId: 'server-call-1',
      raw: raws[raws.length - 1],
    });
  }) as typeof agent.command);
  const respond = (raw: string): void => {
    agent.emit(
      'response',
      {
        transactionId: `out-${requests.length}`,
        source: { address: '192.0.2.1', port: 5060, transport: 'udp' },
        receivedAt: Date.now(),
      },
      raw,
    );
  };
  return { app, requests, raws, respond };
}

const auth = { username: 'alice', password: 'secret' };

/** The digest parameters of the credentials a request carries. */
function digestOf(request: SendRequestData, header: string): Record<string, string> {
  return parseAuthHeader(String(request.headers?.[header]), header).params;
}

describe('authentication retries', () => {
  it('names the challenged transaction and adds only the credentials', async () => {
    const { app, requests, raws, respond } = recordingApp();
    const request = app.uac.register('sip:registrar.example.com', {
      auth,
      headers: { 'X-Kept': 'yes' },
    });
    await tick();
    respond(challenge(raws[0] ?? '', 401));
    await tick();
    expect(requests).toHaveLength(2);
    expect(requests[1]).toEqual({
      method: 'REGISTER',
      retryOf: 'out-1',
      headers: { Authorization: expect.stringMatching(/^Digest /) },
    });
    expect(digestOf(requests[1], 'Authorization')).toMatchObject({
      username: 'alice',
      uri: 'sip:registrar.example.com',
    });
    expect(request.msg?.get('cseq').seq).toBe(2);
    respond(raws[1]?.replace(/^REGISTER .*$/m, 'SIP/2.0 200 OK') ?? '');
    expect((await request).status).toBe(200);
  });

  it('a second round (stale nonce) retries the retry', async () => {
    const { app, requests, raws, respond } = recordingApp();
    const request = app.uac.message('sip:bob@example.com', {
      auth,
      body: 'hi',
      headers: { 'content-type': 'text/plain' },
    });
    await tick();
    respond(challenge(raws[0] ?? '', 407));
    await tick();
    respond(challenge(raws[1] ?? '', 407, true));
    await tick();
    expect(requests.map((r) => r.retryOf)).toEqual([undefined, 'out-1', 'out-2']);
    expect(requests[2]?.headers?.['Proxy-Authorization']).toMatch(/^Digest /);
    respond(raws[2]?.replace(/^MESSAGE .*$/m, 'SIP/2.0 202 Accepted') ?? '');
    expect((await request).status).toBe(202);
  });

  it('a second challenge without stale=true goes to the caller', async () => {
    const { app, requests, raws, respond } = recordingApp();
    const request = app.uac.options('sip:bob@example.com', { auth });
    await tick();
    respond(challenge(raws[0] ?? '', 401));
    await tick();
    respond(challenge(raws[1] ?? '', 401));
    expect((await request).status).toBe(401);
    expect(requests).toHaveLength(2);
  });

  it('inside a dialog: the digest takes the Request-URI from the request the server sent', async () => {
    const { app, requests, raws, respond } = recordingApp();
    const request = app.request({
      method: 'INFO',
      dialogId: 'dialog-1',
      auth,
      headers: { 'X-Kept': 'yes' },
    });
    await tick();
    respond(challenge(raws[0] ?? '', 407));
    await tick();
    expect(requests[1]).toEqual({
      method: 'INFO',
      retryOf: 'out-1',
      headers: { 'Proxy-Authorization': expect.stringMatching(/^Digest /) },
    });
    expect(digestOf(requests[1], 'Proxy-Authorization').uri).toBe('sip:peer@192.0.2.1');
    respond(raws[1]?.replace(/^INFO .*$/m, 'SIP/2.0 200 OK') ?? '');
    expect((await request).status).toBe(200);
  });
});
