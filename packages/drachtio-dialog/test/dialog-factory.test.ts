import { parseMessage, type SipRequest, type SipResponse } from 'drachtio-sip';
import { uacDialog, uasDialog } from '../src/dialog-factory';
import { calledParty, callingParty } from '../src/parties';

const offer =
  'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';
const answer =
  'v=0\r\no=- 2 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\n';

function invite(extraHeaders: string[] = []): SipRequest {
  return parseMessage(
    [
      'INVITE sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1',
      'From: "Alice" <sip:alice@example.com>;tag=from-tag',
      'To: "Bob" <sip:bob@example.com>',
      'Call-ID: call-1@10.0.0.1',
      'CSeq: 1 INVITE',
      'Contact: <sip:alice@10.0.0.1:5060>',
      ...extraHeaders,
      'Content-Type: application/sdp',
      `Content-Length: ${offer.length}`,
      '',
      offer,
    ].join('\r\n'),
  ) as SipRequest;
}

function ok(): SipResponse {
  return parseMessage(
    [
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1',
      'From: "Alice" <sip:alice@example.com>;tag=from-tag',
      'To: "Bob" <sip:bob@example.com>;tag=to-tag',
      'Call-ID: call-1@10.0.0.1',
      'CSeq: 1 INVITE',
      'Contact: <sip:bob@10.0.0.2:5070>',
      'Content-Type: application/sdp',
      `Content-Length: ${answer.length}`,
      '',
      answer,
    ].join('\r\n'),
  ) as SipResponse;
}

describe('parties', () => {
  it('takes the calling party from P-Asserted-Identity first', () => {
    const msg = invite([
      'P-Asserted-Identity: "Alice Asserted" <sip:+15551230000@carrier.net>, <tel:+15551230000>',
      'Remote-Party-ID: "Alice RPID" <sip:5551230000@pbx.example.com>;party=calling',
    ]);
    expect(callingParty(msg)).toEqual({
      source: 'p-asserted-identity',
      uri: 'sip:+15551230000@carrier.net',
      user: '+15551230000',
      host: 'carrier.net',
      displayName: 'Alice Asserted',
    });
  });

  it('falls back to Remote-Party-ID, then to From', () => {
    const rpid = invite([
      'Remote-Party-ID: "Alice RPID" <sip:5551230000@pbx.example.com>;party=calling',
    ]);
    expect(callingParty(rpid)).toMatchObject({
      source: 'remote-party-id',
      user: '5551230000',
      displayName: 'Alice RPID',
    });
    expect(callingParty(invite())).toMatchObject({
      source: 'from',
      user: 'alice',
      host: 'example.com',
      displayName: 'Alice',
    });
  });

  it('skips an unreadable identity instead of failing the call', () => {
    expect(callingParty(invite(['P-Asserted-Identity: <<garbage']))).toMatchObject({
      source: 'from',
      user: 'alice',
    });
  });

  it('takes the called party from To', () => {
    expect(calledParty(invite())).toEqual({
      source: 'to',
      uri: 'sip:bob@example.com',
      user: 'bob',
      host: 'example.com',
      displayName: 'Bob',
    });
  });
});

describe('dialog factory', () => {
  const times = { at: new Date('2026-01-01T00:00:02Z') };

  it('builds the UAS view: our end is the To, the far end the From', () => {
    const dialog = uasDialog({
      dialogId: 'd1',
      state: 'confirmed',
      invite: invite(),
      response: ok(),
      receivedAt: new Date('2026-01-01T00:00:00Z'),
      ...times,
    });
    expect(dialog.toJSON()).toEqual({
      id: 'd1',
      role: 'uas',
      state: 'confirmed',
      callId: 'call-1@10.0.0.1',
      local: {
        uri: 'sip:bob@example.com',
        tag: 'to-tag',
        contact: 'sip:bob@10.0.0.2:5070',
        sdp: answer,
      },
      remote: {
        uri: 'sip:alice@example.com',
        tag: 'from-tag',
        contact: 'sip:alice@10.0.0.1:5060',
        sdp: offer,
      },
      callingParty: {
        source: 'from',
        uri: 'sip:alice@example.com',
        user: 'alice',
        host: 'example.com',
        displayName: 'Alice',
      },
      calledParty: {
        source: 'to',
        uri: 'sip:bob@example.com',
        user: 'bob',
        host: 'example.com',
        displayName: 'Bob',
      },
      times: { start: '2026-01-01T00:00:00.000Z', connect: '2026-01-01T00:00:02.000Z' },
    });
  });

  it('builds the UAC view: our end is the From, the far end the To', () => {
    const dialog = uacDialog({
      dialogId: 'd2',
      state: 'early',
      invite: invite(),
      response: ok(),
      sentAt: new Date('2026-01-01T00:00:00Z'),
      ...times,
    });
    expect(dialog.role).toBe('uac');
    expect(dialog.state).toBe('early');
    expect(dialog.times.connect).toBeUndefined();
    expect(dialog.local).toEqual({
      uri: 'sip:alice@example.com',
      tag: 'from-tag',
      contact: 'sip:alice@10.0.0.1:5060',
      sdp: offer,
    });
    expect(dialog.remote).toEqual({
      uri: 'sip:bob@example.com',
      tag: 'to-tag',
      contact: 'sip:bob@10.0.0.2:5070',
      sdp: answer,
    });
  });

  it('keeps a non-SDP body out of the dialog SDP', () => {
    const msg = parseMessage(
      [
        'INFO sip:x@y SIP/2.0',
        'Via: SIP/2.0/UDP h;branch=z9hG4bK2',
        'From: <sip:a@b>;tag=1',
        'To: <sip:x@y>',
        'Call-ID: c',
        'CSeq: 1 INVITE',
        'Content-Type: text/plain',
        'Content-Length: 2',
        '',
        'hi',
      ].join('\r\n'),
    ) as SipRequest;
    const dialog = uasDialog({
      dialogId: 'd3',
      state: 'confirmed',
      invite: msg,
      response: ok(),
      receivedAt: new Date(),
      ...times,
    });
    expect(dialog.remote.sdp).toBeUndefined();
    expect(dialog.remote.contact).toBeUndefined();
  });
});
