import { DialogMethodError, DialogStateError } from '../src/dialog-errors';
import type { DialogHost, DialogResponse } from '../src/dialog-host';
import { SipDialog, type SipDialogInit } from '../src/sip-dialog';

const offer =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';
const answer =
  'v=0\r\no=- 2 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\n';

function init(overrides: Partial<SipDialogInit> = {}): SipDialogInit {
  return {
    id: 'dlg-1',
    role: 'uas',
    state: 'confirmed',
    callId: 'call-1@test',
    local: { uri: 'sip:bob@example.com', tag: 'lt', contact: 'sip:127.0.0.1:5060', sdp: answer },
    remote: {
      uri: 'sip:alice@example.com',
      tag: 'rt',
      contact: 'sip:alice@127.0.0.2:5070',
      sdp: offer,
    },
    callingParty: {
      source: 'from',
      uri: 'sip:alice@example.com',
      user: 'alice',
      host: 'example.com',
    },
    calledParty: { source: 'to', uri: 'sip:bob@example.com', user: 'bob', host: 'example.com' },
    times: { start: new Date('2026-01-01T00:00:00Z'), connect: new Date('2026-01-01T00:00:01Z') },
    ...overrides,
  };
}

/** Records what the dialog sends and answers each request with the next canned response. */
class RecordingHost implements DialogHost {
  readonly sent: Array<{ method: string; dialogId: string; body?: string; headers?: object }> = [];
  constructor(private readonly answer: (method: string) => DialogResponse) {}
  async request(options: {
    method: string;
    dialogId: string;
    body?: string;
  }): Promise<DialogResponse> {
    this.sent.push(options);
    return this.answer(options.method);
  }
}

/** Only the fields a dialog reads from a response. */
const response = (status: number, reason: string, body = ''): DialogResponse =>
  ({ status, reason, body }) as unknown as DialogResponse;
const ok = (body = ''): DialogResponse => response(200, 'OK', body);

describe('SipDialog', () => {
  it('goes early -> confirmed -> terminated exactly once each', () => {
    const dialog = new SipDialog(init({ state: 'early', times: { start: new Date() } }));
    const seen: string[] = [];
    dialog
      .on('confirmed', () => seen.push('confirmed'))
      .on('terminate', (reason: string) => seen.push(reason));
    expect(
      dialog.confirm(new Date('2026-01-01T00:00:05Z'), {
        local: { uri: 'sip:bob@example.com', tag: 'new' },
      }),
    ).toBe(true);
    expect(dialog.confirm()).toBe(false);
    expect(dialog.state).toBe('confirmed');
    expect(dialog.local.tag).toBe('new');
    expect(dialog.times.connect?.toISOString()).toBe('2026-01-01T00:00:05.000Z');
    expect(dialog.end('normal far end release')).toBe(true);
    expect(dialog.end('session expired')).toBe(false);
    expect(dialog.state).toBe('terminated');
    expect(dialog.terminationReason).toBe('normal far end release');
    expect(dialog.times.end).toBeInstanceOf(Date);
    expect(seen).toEqual(['confirmed', 'normal far end release']);
  });

  it('round-trips through JSON, keeping state, times, reason and the B2BUA peer', () => {
    const dialog = new SipDialog(init());
    dialog.peerId = 'dlg-2';
    dialog.end('session expired', new Date('2026-01-01T00:10:00Z'));
    const copy = SipDialog.fromJSON(JSON.parse(JSON.stringify(dialog)));
    expect(copy).toBeInstanceOf(SipDialog);
    expect(copy.toJSON()).toEqual(dialog.toJSON());
    expect(copy.state).toBe('terminated');
    expect(copy.terminationReason).toBe('session expired');
    expect(copy.times.start).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(copy.peerId).toBe('dlg-2');
  });

  it('stores no emitter or process-local fields', () => {
    const dialog = new SipDialog(init()).attach(new RecordingHost(() => ok()));
    dialog.on('info', () => undefined);
    expect(Object.keys(JSON.parse(JSON.stringify(dialog))).sort()).toEqual(
      [
        'callId',
        'calledParty',
        'callingParty',
        'id',
        'local',
        'remote',
        'role',
        'state',
        'times',
      ].sort(),
    );
  });

  it('rejects bad stored data with a clear error', () => {
    expect(() => SipDialog.fromJSON({ id: 'x' })).toThrow(TypeError);
    expect(() => SipDialog.fromJSON(null)).toThrow(/stored SipDialog/);
  });

  it('sends requests through its host and resolves to the final response', async () => {
    const host = new RecordingHost(() => ok());
    const dialog = new SipDialog(init()).attach(host);
    const res = await dialog.request('info', {
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(res.status).toBe(200);
    expect(host.sent).toEqual([
      { method: 'INFO', dialogId: 'dlg-1', headers: { 'content-type': 'text/plain' }, body: 'hi' },
    ]);
  });

  it('offers the callback form', (done) => {
    const dialog = new SipDialog(init()).attach(new RecordingHost(() => ok()));
    dialog.request('OPTIONS', (err, res) => {
      expect(err).toBeNull();
      expect(res?.status).toBe(200);
      done();
    });
  });

  it('re-INVITE without a body re-offers the local SDP; a 2xx updates both SDPs', async () => {
    const newRemote = answer.replace('7000', '7002');
    const host = new RecordingHost(() => ok(newRemote));
    const dialog = new SipDialog(
      init({
        role: 'uac',
        local: { uri: 'sip:a@x', sdp: offer },
        remote: { uri: 'sip:b@y', sdp: answer },
      }),
    ).attach(host);
    await dialog.request('INVITE');
    expect(host.sent[0]?.body).toBe(offer);
    expect(dialog.remote.sdp).toBe(newRemote);
  });

  it('keeps the old SDP when a re-INVITE is refused', async () => {
    const host = new RecordingHost(() => response(488, 'Not Acceptable Here'));
    const dialog = new SipDialog(init()).attach(host);
    const res = await dialog.request('INVITE', { body: 'v=0\r\n' });
    expect(res.status).toBe(488);
    expect(dialog.local.sdp).toBe(answer);
  });

  it('hold and unhold re-offer our SDP as sendonly then sendrecv', async () => {
    const host = new RecordingHost(() => ok(offer));
    const dialog = new SipDialog(init()).attach(host);
    await dialog.hold();
    expect(host.sent[0]?.body).toContain('a=sendonly');
    expect(dialog.onHold).toBe(true);
    await dialog.unhold();
    expect(host.sent[1]?.body).toContain('a=sendrecv');
    expect(dialog.onHold).toBe(false);
  });

  it('terminate() sends BYE once and ends the dialog as a near end release', async () => {
    const host = new RecordingHost(() => ok());
    const dialog = new SipDialog(init()).attach(host);
    await Promise.all([dialog.terminate(), dialog.terminate()]);
    await dialog.terminate();
    expect(host.sent.map((r) => r.method)).toEqual(['BYE']);
    expect(dialog.state).toBe('terminated');
    expect(dialog.terminationReason).toBe('normal near end release');
  });

  it('ends the dialog even when the BYE gets an error response', async () => {
    const dialog = new SipDialog(init()).attach(
      new RecordingHost(() => response(481, 'No Such Dialog')),
    );
    await dialog.terminate();
    expect(dialog.state).toBe('terminated');
  });

  it('lets a BYE that could not be sent be tried again', async () => {
    let attempts = 0;
    const host: DialogHost = {
      request: async () => {
        attempts++;
        if (attempts === 1) throw new Error('not connected');
        return ok();
      },
    };
    const dialog = new SipDialog(init()).attach(host);
    await expect(dialog.terminate()).rejects.toThrow('not connected');
    expect(dialog.state).toBe('confirmed');
    await dialog.terminate();
    expect(attempts).toBe(2);
    expect(dialog.state).toBe('terminated');
  });

  it('abandons an early dialog with the handler of the process that created it', async () => {
    let abandoned = 0;
    const dialog = new SipDialog(init({ state: 'early' })).attach(
      new RecordingHost(() => ok()),
      async () => {
        abandoned++;
      },
    );
    await dialog.terminate();
    expect(abandoned).toBe(1);
  });

  it('refuses an early UAS dialog it cannot abandon', async () => {
    const dialog = new SipDialog(init({ state: 'early' })).attach(new RecordingHost(() => ok()));
    await expect(dialog.terminate()).rejects.toThrow(DialogStateError);
  });

  it('refuses methods that do not belong in a dialog, and requests after termination', async () => {
    const dialog = new SipDialog(init()).attach(new RecordingHost(() => ok()));
    await expect(dialog.request('REGISTER')).rejects.toThrow(DialogMethodError);
    dialog.end('normal far end release');
    await expect(dialog.request('INFO')).rejects.toThrow(/terminated \(normal far end release\)/);
  });

  it('refuses to send when not attached to an app', async () => {
    await expect(new SipDialog(init()).request('INFO')).rejects.toThrow(/not attached/);
  });

  it('names incoming request events', () => {
    expect(SipDialog.eventFor('INVITE')).toBe('reinvite');
    expect(SipDialog.eventFor('INFO')).toBe('info');
  });
});
