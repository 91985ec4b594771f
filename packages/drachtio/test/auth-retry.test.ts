import type { CommandMap, CommandName, HeaderMap, SendRequestData } from 'drachtio-protocol';
import { headerKey } from 'drachtio-sip';
import drachtio from '../src/index';
import { tick } from './support/fake-wire';

/**
 * What an authentication retry asks the server for (RFC 3261 8.1.3.5, 22.2): outside a dialog
 * the challenged request's Call-ID, From, To and CSeq + 1; inside one nothing but the
 * credentials (the server takes the rest from the dialog). The server's side is
 * drachtio-server-ts's uac-identity tests; the two together against sipp are in e2e/sending.
 */

const IDENTITY = ['from', 'to', 'call-id', 'cseq'];

/**
 * The request as the server would write it from `data` (a sketch of its rules): outside a dialog
 * the application's From (tagged when it has no tag), To, Call-ID and CSeq, else its own.
 */
function wireRequest(data: SendRequestData, sequence: number): string {
  const given = (key: string): string | undefined => {
    if (data.dialogId !== undefined) return undefined;
    const entry = Object.entries(data.headers ?? {}).find(([name]) => headerKey(name) === key);
    return entry === undefined ? undefined : String(entry[1]);
  };
  const from = given('from') ?? '<sip:drachtio@127.0.0.1>';
  const lines = [
    `${data.method} ${data.uri ?? 'sip:peer@192.0.2.1'} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-${sequence}`,
    `From: ${from.includes(';tag=') ? from : `${from};tag=server-tag-${sequence}`}`,
    `To: ${given('to') ?? '<sip:alice@example.com>'}`,
    `Call-ID: ${given('call-id') ?? `server-call-${sequence}`}`,
    `CSeq: ${given('cseq') ?? `${sequence} ${data.method}`}`,
    ...Object.entries(data.headers ?? {})
      .filter(([name]) => !IDENTITY.includes(headerKey(name)))
      .map(([name, value]) => `${name}: ${String(value)}`),
    'Content-Length: 0',
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function challenge(request: string, status: 401 | 407, stale = false): string {
  const copy = request.split('\r\n').filter((line) => /^(Via|From|To|Call-ID|CSeq):/.test(line));
  const header = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  const reason = status === 401 ? 'Unauthorized' : 'Proxy Authentication Required';
  return [`SIP/2.0 ${status} ${reason}`, ...copy, `${header}: Digest realm="example.com", nonce="n${Date.now()}"${stale ? ', stale=true' : ''}`, 'Content-Length: 0', '', ''].join('\r\n');
}

/** An app whose 'request' commands are answered as the server would, and recorded. */
function recordingApp(): { app: drachtio.Application; requests: SendRequestData[]; raws: string[]; respond(raw: string): void } {
  const app = drachtio();
  const requests: SendRequestData[] = [];
  const raws: string[] = [];
  jest.spyOn(app.agent, 'command').mockImplementation(((command: CommandName, data: CommandMap[CommandName][0]) => {
    if (command !== 'request') return Promise.resolve({});
    const request = data as SendRequestData;
    requests.push(request);
    raws.push(wireRequest(request, requests.length));
    return Promise.resolve({ transactionId: `out-${requests.length}`, raw: raws[raws.length - 1] });
  }) as typeof app.agent.command);
  const respond = (raw: string): void => {
    app.agent.emit('response', { transactionId: `out-${requests.length}`, source: { address: '192.0.2.1', port: 5060, transport: 'udp' }, receivedAt: Date.now() }, raw);
  };
  return { app, requests, raws, respond };
}

const auth = { username: 'alice', password: 'secret' };

describe('authentication retries', () => {
  it('outside a dialog: the retry asks for the challenged Call-ID, From (tag included), To and CSeq + 1', async () => {
    const { app, requests, raws, respond } = recordingApp();
    // The application's own spellings of the identity headers give way to the values sent.
    const headers: HeaderMap = { f: '<sip:alice@example.com>', 'X-Kept': 'yes' };
    const request = app.uac.register('sip:registrar.example.com', { auth, headers });
    await tick();
    respond(challenge(raws[0] ?? '', 401));
    await tick();
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers).toEqual({
      'X-Kept': 'yes',
      'Call-ID': 'server-call-1',
      From: '<sip:alice@example.com>;tag=server-tag-1',
      To: '<sip:alice@example.com>',
      CSeq: '2 REGISTER',
      Authorization: expect.stringMatching(/^Digest .*username="alice"/),
    });
    respond(raws[1]?.replace(/^REGISTER .*$/m, 'SIP/2.0 200 OK') ?? '');
    expect((await request).status).toBe(200);
  });

  it('a second round (stale nonce) counts on from the retry: CSeq 3, the same Call-ID and From tag', async () => {
    const { app, requests, raws, respond } = recordingApp();
    const request = app.uac.message('sip:bob@example.com', { auth, body: 'hi', headers: { 'content-type': 'text/plain' } });
    await tick();
    respond(challenge(raws[0] ?? '', 407));
    await tick();
    respond(challenge(raws[1] ?? '', 407, true));
    await tick();
    expect(requests.map((r) => [r.headers?.['Call-ID'], r.headers?.From, r.headers?.CSeq])).toEqual([
      [undefined, undefined, undefined],
      ['server-call-1', '<sip:drachtio@127.0.0.1>;tag=server-tag-1', '2 MESSAGE'],
      ['server-call-1', '<sip:drachtio@127.0.0.1>;tag=server-tag-1', '3 MESSAGE'],
    ]);
    expect(requests[2]?.headers?.['Proxy-Authorization']).toMatch(/^Digest /);
    respond(raws[2]?.replace(/^MESSAGE .*$/m, 'SIP/2.0 202 Accepted') ?? '');
    expect((await request).status).toBe(202);
  });

  it('inside a dialog: the retry adds only the credentials; the server fills in the rest from the dialog', async () => {
    const { app, requests, raws, respond } = recordingApp();
    const request = app.request({ method: 'INFO', dialogId: 'dialog-1', auth, headers: { 'X-Kept': 'yes' } });
    await tick();
    respond(challenge(raws[0] ?? '', 407));
    await tick();
    expect(requests[1]).toEqual({
      method: 'INFO',
      dialogId: 'dialog-1',
      headers: { 'X-Kept': 'yes', 'Proxy-Authorization': expect.stringMatching(/^Digest /) },
    });
    respond(raws[1]?.replace(/^INFO .*$/m, 'SIP/2.0 200 OK') ?? '');
    expect((await request).status).toBe(200);
  });
});
