/**
 * Three sipp callers are connected to the simulator and joined in one conference made over a
 * control channel; an announcement plays to the conference; when the callers are hung up the
 * media server ends the conference (deletewhen=nomedia) and the app hears `msml:conference:nomedia`.
 */
import { runSipp } from 'drachtio-test-kit';
import msml from '../../src';
import { CALLER_SCENARIO, once, startHarness, type Harness } from '../support/harness';

const { moml } = msml;

describe('a three-party conference end to end', () => {
  let h: Harness;
  afterEach(() => h.stop());

  test('create, join three callers, play to all, hang up, nomedia', async () => {
    h = await startHarness({ playMs: 100 });
    const { app, media } = await h.connectApp();
    const channel = await media.makeControlChannel(h.simulator.hostport);
    const conference = await channel.makeConference({
      name: 'team',
      deletewhen: 'nomedia',
      audiomix: { nloudest: 3, asn: { ri: '10s' } },
    });
    expect(conference.id).toBe('conf:team');
    expect(h.simulator.executor.conferenceIds).toEqual(['conf:team']);

    const callers: string[] = [];
    const allJoined = new Promise<void>((resolve, reject) => {
      app.invite((req, res) => {
        media
          .makeConnection(h.simulator.hostport, { remote: { sdp: req.body } })
          .pipe(res, (err, conn) => {
            if (err || !conn) return reject(err);
            callers.push(res.dialogId as string);
            conference.join(conn, { streams: [{ media: 'audio' }] }, (joinErr) => {
              if (joinErr) return reject(joinErr);
              if (conference.participants.size === 3) resolve();
            });
          });
      });
    });

    const sipp = runSipp({
      scenario: CALLER_SCENARIO,
      remote: h.sipHostport,
      service: 'conference',
      calls: 3,
      limit: 3,
      rate: 10,
      timeoutMs: 20000,
    });
    await allJoined;
    expect(h.simulator.executor.participants('conf:team')).toHaveLength(3);
    expect(new Set(h.simulator.executor.participants('conf:team'))).toEqual(
      conference.participants,
    );

    const announcement = await conference.makeDialog(
      [moml.play({ audio: 'file://prompts/welcome-all.wav' })],
      { name: 'welcome' },
    );
    expect(announcement.id).toBe('conf:team/dialog:welcome');
    await once(announcement, 'terminate');

    const nomedia = once<msml.MsmlEventInfo<msml.Conference>>(app, 'msml:conference:nomedia');
    for (const dialogId of callers) await app.request({ method: 'BYE', dialogId });
    const ended = await nomedia;
    expect(ended.target).toBe(conference);
    expect(conference.active).toBe(false);
    expect(h.simulator.executor.conferenceIds).toEqual([]);

    const result = await sipp;
    expect(result.errors).toBe('');
    expect(result.successfulCalls).toBe(3);
    await channel.release();
  });

  test('conference commands the media server refuses reject; callback form', async () => {
    h = await startHarness();
    const { media } = await h.connectApp();
    const channel = await media.makeControlChannel(h.simulator.hostport);
    const conference = await channel.makeConference({ name: 'solo', deletewhen: 'never' });
    const duplicate = await channel.makeConference({ name: 'solo' }).catch((e: unknown) => e);
    expect(duplicate).toEqual(
      expect.objectContaining({
        name: 'MsmlResultError',
        response: msml.ResponseCode.OBJECT_ALREADY_EXISTS,
      }),
    );
    const joinError = await new Promise<Error | null>((resolve) =>
      conference.join('conn:ghost', (err) => resolve(err)),
    );
    expect(joinError).toEqual(
      expect.objectContaining({ response: msml.ResponseCode.OBJECT_DOES_NOT_EXIST }),
    );
    const modified = await new Promise<msml.MsmlResult | undefined>((resolve, reject) =>
      conference.modify({ audiomix: { nloudest: 2 } }, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
    expect(modified?.ok).toBe(true);
    await conference.destroy();
    expect(conference.active).toBe(false);
    expect(h.simulator.executor.conferenceIds).toEqual([]);
    await channel.release();
    await expect(channel.makeConference()).rejects.toThrow(msml.MsmlTransportError);
  });

  test('two callers bridged on the media server: connection.join / unjoin', async () => {
    h = await startHarness();
    const { app, media } = await h.connectApp();
    const calls: { conn: msml.Connection; dialogId: string }[] = [];
    const bothUp = new Promise<void>((resolve, reject) => {
      app.invite((req, res) => {
        media
          .makeConnection(h.simulator.hostport, { remote: { sdp: req.body } })
          .pipe(res, (err, conn) => {
            if (err || !conn) return reject(err);
            calls.push({ conn, dialogId: res.dialogId as string });
            if (calls.length === 2) resolve();
          });
      });
    });
    const sipp = runSipp({
      scenario: CALLER_SCENARIO,
      remote: h.sipHostport,
      service: 'bridge',
      calls: 2,
      limit: 2,
      rate: 10,
      timeoutMs: 20000,
    });
    await bothUp;
    const [a, b] = calls as [(typeof calls)[0], (typeof calls)[0]];
    expect((await a.conn.join(b.conn, { streams: [{ media: 'audio' }] })).ok).toBe(true);
    expect((await a.conn.unjoin(b.conn)).ok).toBe(true);
    await expect(a.conn.join('conn:somebody-else')).rejects.toThrow(msml.MsmlResultError);
    for (const { dialogId } of calls) await app.request({ method: 'BYE', dialogId });
    expect((await sipp).exitCode).toBe(0);
  });
});
