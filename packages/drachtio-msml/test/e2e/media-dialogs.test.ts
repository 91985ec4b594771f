/**
 * sipp calls an app; the app connects the call to the media-server simulator (3pcc, piped),
 * runs MSML dialogs on it, reads the results from the events, and hangs up.
 */
import { join } from 'node:path';
import { runSipp, startSipp } from 'drachtio-test-kit';
import msml from '../../src';
import { CALLER_SCENARIO, once, startHarness, type Harness } from '../support/harness';

const { moml } = msml;

describe('media dialogs end to end (sipp → drachtio-server-ts → app → simulator)', () => {
  let h: Harness;
  afterEach(() => h.stop());

  test('play a prompt, collect digits, log them, hang up', async () => {
    h = await startHarness({ playMs: 150, digits: ['1234#'], digitDelayMs: 50 });
    const { app, media } = await h.connectApp();
    const log: string[] = [];
    const collected = new Promise<string>((resolve, reject) => {
      app.invite((req, res) => {
        media
          .makeConnection(h.simulator.hostport, { remote: { sdp: req.body } })
          .pipe(res, (err, conn) => {
            if (err || !conn) return reject(err);
            log.push(`connected ${conn.id}`);
            conn
              .makeDialog([
                moml.play({
                  audio: 'file://prompts/enter-pin.wav',
                  barge: true,
                  playexit: [
                    moml.send({
                      target: 'source',
                      event: 'app.playDone',
                      namelist: 'play.end play.amt',
                    }),
                  ],
                }),
                moml.dtmf({
                  fdt: '5s',
                  idt: '2s',
                  patterns: [{ digits: 'min=4;max=8;rtk=#' }],
                  exit: [moml.exit({ namelist: 'dtmf.digits dtmf.end' })],
                }),
              ])
              .then((dialog) => {
                dialog.on('playDone', (e: msml.MsmlEventInfo<msml.MediaDialog>) =>
                  log.push(`playDone ${e.data['play.end']}`),
                );
                dialog.on('terminate', (e: msml.MsmlEventInfo<msml.MediaDialog>) => {
                  log.push(`digits ${e.data['dtmf.digits']} (${e.data['dtmf.end']})`);
                  resolve(e.data['dtmf.digits'] ?? '');
                  app.request({ method: 'BYE', dialogId: res.dialogId as string });
                });
              }, reject);
          });
      });
    });
    const appEvents: string[] = [];
    app.on('msml:dialog:create', () => appEvents.push('msml:dialog:create'));
    app.on('msml:dialog:playDone', () => appEvents.push('msml:dialog:playDone'));
    app.on('msml:dialog:terminate', () => appEvents.push('msml:dialog:terminate'));
    const msDisconnected = once<string>(h.simulator, 'disconnect');

    const sipp = await runSipp({
      scenario: CALLER_SCENARIO,
      remote: h.sipHostport,
      service: 'ivr',
      timeoutMs: 15000,
    });
    expect(await collected).toBe('1234');
    expect(sipp.errors).toBe('');
    expect(sipp.successfulCalls).toBe(1);
    expect(log).toEqual([
      expect.stringMatching(/^connected conn:/),
      'playDone play.complete',
      'digits 1234 (dtmf.match)',
    ]);
    expect(appEvents).toEqual([
      'msml:dialog:create',
      'msml:dialog:playDone',
      'msml:dialog:terminate',
    ]);
    // Hanging up the caller released the media server leg too (the legs are linked).
    await msDisconnected;
    expect(h.simulator.connectionIds).toEqual([]);
  });

  test('record: the media server reports the file it recorded to (promise form)', async () => {
    h = await startHarness({ recordMs: 100, recordFile: 'file://recordings/call-0001.wav' });
    const { app, media } = await h.connectApp();
    const recorded = new Promise<Record<string, string>>((resolve, reject) => {
      app.invite(async (req, res) => {
        try {
          const conn = await media.makeConnection(h.simulator.hostport, {
            remote: { sdp: req.body },
          });
          await res.send(200, { body: conn.sdp, headers: { 'content-type': 'application/sdp' } });
          const dialog = await conn.makeDialog(
            moml.record({
              dest: 'file://recordings/',
              format: 'audio/wav',
              maxtime: '30s',
              beep: true,
              recordexit: [moml.exit({ namelist: 'record.recordid record.len record.end' })],
            }),
            { name: 'voicemail' },
          );
          expect(dialog.id).toBe(`${conn.id}/dialog:voicemail`);
          const done = await once<msml.MsmlEventInfo<msml.MediaDialog>>(dialog, 'terminate');
          resolve(done.data);
          await app.request({ method: 'BYE', dialogId: res.dialogId as string });
          await conn.release();
        } catch (error) {
          reject(error);
        }
      });
    });
    const sipp = await runSipp({
      scenario: CALLER_SCENARIO,
      remote: h.sipHostport,
      service: 'record',
      timeoutMs: 15000,
    });
    expect(await recorded).toEqual({
      'record.recordid': 'file://recordings/call-0001.wav',
      'record.len': '100ms',
      'record.end': 'record.complete',
    });
    expect(sipp.successfulCalls).toBe(1);
  });

  test('a dialog the media server refuses rejects with its RFC 5707 code (MsmlResultError)', async () => {
    h = await startHarness();
    const { app, media } = await h.connectApp();
    const outcome = new Promise<unknown>((resolve) => {
      app.invite(async (req, res) => {
        const conn = await media.makeConnection(h.simulator.hostport, {
          remote: { sdp: req.body },
        });
        await res.send(200, { body: conn.sdp, headers: { 'content-type': 'application/sdp' } });
        // A dialog on a connection the media server does not have:
        const refused = await conn
          .makeDialog([moml.play({ audio: 'file://x.wav' })], { target: 'conn:nobody' })
          .catch((e: unknown) => e);
        resolve(refused);
        await app.request({ method: 'BYE', dialogId: res.dialogId as string });
      });
    });
    await runSipp({
      scenario: CALLER_SCENARIO,
      remote: h.sipHostport,
      service: 'bad',
      timeoutMs: 15000,
    });
    expect(await outcome).toEqual(
      expect.objectContaining({
        name: 'MsmlResultError',
        response: msml.ResponseCode.OBJECT_DOES_NOT_EXIST,
      }),
    );
  });

  test('a media server that refuses the connection: pipe relays its status to the caller, the callback gets the error', async () => {
    h = await startHarness();
    const { app, media } = await h.connectApp();
    const busyMediaServer = await startSipp({
      scenario: join(__dirname, '..', 'scenarios', 'media-server-busy.xml'),
      timeoutMs: 15000,
    });
    const failure = new Promise<Error | null>((resolve) => {
      app.invite((req, res) => {
        media
          .makeConnection(busyMediaServer.uri('msml'), { remote: { sdp: req.body } })
          .pipe(res, (err) => resolve(err));
      });
    });
    const caller = await runSipp({
      scenario: join(__dirname, '..', 'scenarios', 'caller-is-refused.xml'),
      remote: h.sipHostport,
      service: 'busy',
      timeoutMs: 15000,
    });
    expect(await failure).toEqual(
      expect.objectContaining({ name: 'MsmlTransportError', status: 486 }),
    );
    expect(caller.errors).toBe('');
    expect(caller.exitCode).toBe(0); // sipp: every call ran its scenario to the end
    expect((await busyMediaServer.done).exitCode).toBe(0);
  });

  test('dialog.end() (callback form) stops a prompt that would play forever; dialog.send("terminate") too', async () => {
    h = await startHarness();
    const { app, media } = await h.connectApp();
    const endings = new Promise<string[]>((resolve, reject) => {
      app.invite(async (req, res) => {
        try {
          const conn = await media.makeConnection(h.simulator.hostport, {
            remote: { sdp: req.body },
          });
          await res.send(200, { body: conn.sdp, headers: { 'content-type': 'application/sdp' } });
          const forever = () =>
            conn.makeDialog(moml.play({ audio: 'file://hold-music.wav', iterations: 'forever' }));
          const seen: string[] = [];
          const first = await forever();
          const firstEnded = once(first, 'terminate');
          const ended = await new Promise<msml.MsmlResult | undefined>((ok, fail) =>
            first.end((err, result) => (err ? fail(err) : ok(result))),
          );
          seen.push(`end: ${ended?.response}`);
          await firstEnded;
          seen.push(`first active: ${first.active}`);
          const second = await forever();
          const secondEnded = once(second, 'terminate');
          await second.send('terminate');
          await secondEnded;
          seen.push(`second active: ${second.active}`);
          resolve(seen);
          await app.request({ method: 'BYE', dialogId: res.dialogId as string });
        } catch (error) {
          reject(error);
        }
      });
    });
    const sipp = await runSipp({
      scenario: CALLER_SCENARIO,
      remote: h.sipHostport,
      service: 'hold',
      timeoutMs: 15000,
    });
    expect(await endings).toEqual(['end: 200', 'first active: false', 'second active: false']);
    expect(sipp.exitCode).toBe(0);
  });
});
