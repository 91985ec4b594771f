import type { DialogNotice, TerminationReason } from 'drachtio-protocol';
import { encodeNotice } from '../../src/control/srf/notices';
import { encodeFailure, encodeSuccess } from '../../src/control/srf/replies';
import { SrfState } from '../../src/control/srf/srf-state';

const PEER = { address: '192.0.2.7', port: 5070, transport: 'udp' as const };
const INVITE =
  'INVITE sip:bob@192.0.2.7:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:a@127.0.0.1>;tag=L1\r\nTo: <sip:bob@192.0.2.7>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';
const OK =
  'SIP/2.0 200 OK\r\nFrom: <sip:a@127.0.0.1>;tag=L1\r\nTo: <sip:bob@192.0.2.7>;tag=R1\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';

const ENGINE_ID = 'c1;local-tag=L1;remote-tag=R1';

/** The engine's notice about dialog ENGINE_ID, through the codec. */
function dialogNotice(
  state: SrfState,
  role: 'uac' | 'uas',
  reason?: TerminationReason,
): Buffer | undefined {
  const base = { dialogId: ENGINE_ID, role, callId: 'c1' };
  const notice: DialogNotice = reason
    ? { ...base, event: 'terminated', reason }
    : { ...base, event: 'confirmed' };
  return encodeNotice('dialog', notice, undefined, state);
}

/** The payload's tokens up to the first CRLF, without the frame's fresh message id. */
function tokens(frame: Buffer | undefined): string[] {
  const text = frame!.toString('utf8');
  return text
    .slice(text.indexOf('#') + 1)
    .split('\r\n')[0]
    .split('|')
    .slice(1);
}

describe('srf codec: the control plane talking to srf', () => {
  test('authenticate: `OK|udp/host:port,tcp/host:port|v0.8.x`; a wrong secret: `NO|incorrect secret`', () => {
    const state = new SrfState();
    const data = {
      version: 1,
      hostport: '',
      contacts: ['sip:127.0.0.1:5060;transport=udp', 'sip:127.0.0.1:5060;transport=tcp'],
      serverVersion: '0.1.0',
    };
    const ok = tokens(encodeSuccess('m1', { kind: 'authenticate' }, data, undefined, state));
    expect(ok.slice(0, 4)).toEqual([
      'response',
      'm1',
      'OK',
      'udp/127.0.0.1:5060,tcp/127.0.0.1:5060',
    ]);
    expect(ok[4]).toMatch(/^v0\.8\.\d+-drachtio-server-ts-/);
    expect(tokens(encodeFailure('m1', { kind: 'authenticate' }, 'auth-failed', 'wrong'))).toEqual([
      'response',
      'm1',
      'NO',
      'incorrect secret',
    ]);
  });

  test('a request from the network: meta tokens, transaction id, no dialog yet, receivedOn', () => {
    const state = new SrfState();
    state.setContacts(['sip:127.0.0.1:5060;transport=udp']);
    const frame = encodeNotice(
      'request',
      { transactionId: 'st-1', source: PEER, receivedAt: 0 },
      INVITE,
      state,
    );
    expect(tokens(frame)).toEqual([
      'sip',
      'network',
      String(INVITE.length),
      'udp',
      '192.0.2.7',
      '5070',
      '00:00:00.000000',
      'st-1',
      '',
      '127.0.0.1',
      '5060',
    ]);
  });

  test("srf's INVITE, its 2xx with the dialog id srf will ACK by, and an ACK timeout announced as a BYE", () => {
    const state = new SrfState();
    const command = {
      command: 'request' as const,
      data: { method: 'INVITE', uri: 'sip:bob@192.0.2.7:5070' },
    };
    const sent = tokens(
      encodeSuccess(
        'm2',
        { kind: 'sip', command },
        { transactionId: 'ct-1', callId: 'c1' },
        INVITE,
        state,
      ),
    );
    expect(sent.slice(0, 3)).toEqual(['response', 'm2', 'OK']);
    expect(sent.slice(3, 8)).toEqual([
      'application',
      String(INVITE.length),
      'udp',
      '192.0.2.7',
      '5070',
    ]);
    expect(sent.slice(9)).toEqual(['ct-1', 'Msg sent:', '']);
    dialogNotice(state, 'uac');
    const answer = tokens(
      encodeNotice(
        'response',
        { transactionId: 'ct-1', dialogId: ENGINE_ID, source: PEER, receivedAt: 0 },
        OK,
        state,
      ),
    );
    expect(answer.slice(7, 9)).toEqual(['ct-1', 'c1;from-tag=L1']);
    expect(state.ackable('c1;from-tag=L1')).toEqual({ transactionId: 'ct-1', status: 200 });
    const bye = dialogNotice(state, 'uac', 'ack timeout');
    expect(tokens(bye).slice(0, 2)).toEqual(['sip', 'application']);
    expect(tokens(bye).slice(7)).toEqual(['unsolicited', 'c1;from-tag=L1', '']);
    expect(bye!.toString()).toContain('Reason: SIP ;cause=200 ;text="ACK timeout"');
    expect(state.ackable('c1;from-tag=L1')).toBeUndefined();
    expect(state.ids.size).toBe(0);
  });

  test('a dialog ended normally leaves no frame and no state', () => {
    const state = new SrfState();
    dialogNotice(state, 'uas');
    const ended = dialogNotice(state, 'uas', 'normal far end release');
    expect(ended).toBeUndefined();
    expect(state.ids.size).toBe(0);
  });
});
