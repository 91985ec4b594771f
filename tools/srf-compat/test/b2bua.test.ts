import { runSipp, startSipp, type SippProcess } from 'drachtio-test-kit';
import type { DrachtioServer } from 'drachtio-server-ts';
import type Srf from 'drachtio-srf';
import { connectSrf, dialogCalls, localScenario, scenario, startServer } from './harness';

/** sipp calls in (A leg), an srf B2BUA calls sipp out (B leg). */
describe('drachtio-srf createB2BUA against drachtio-server-ts', () => {
  let server: DrachtioServer;
  let remote: string;
  let srf: Srf;

  beforeEach(async () => {
    ({ server, remote } = await startServer());
    ({ srf } = await connectSrf(server));
  });

  afterEach(async () => {
    srf.disconnect();
    await server.close();
  });

  /** Every call goes to `b`; when either leg ends, the other is hung up (srf's usual app). */
  function b2bua(b: SippProcess): Promise<{ ended: string }> {
    return new Promise((resolve, reject) => {
      srf.invite(async (req, res) => {
        try {
          const { uas, uac } = await srf.createB2BUA(req, res, b.uri('bob'), {});
          uas.on(
            'modify',
            async (reinvite: { body: string }, answer: { send(s: number, o: object): void }) => {
              const sdp = await uac.modify(reinvite.body);
              answer.send(200, { body: sdp });
            },
          );
          uas.on('destroy', () =>
            dialogCalls(uac)
              .destroy()
              .then(() => resolve({ ended: 'by A' })),
          );
          uac.on('destroy', () =>
            dialogCalls(uas)
              .destroy()
              .then(() => resolve({ ended: 'by B' })),
          );
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  test('connects, and a BYE from A is passed to B', async () => {
    const b = await startSipp({ scenario: scenario('uas-answer') });
    const call = b2bua(b);
    const a = await runSipp({ scenario: scenario('uac-call'), remote });
    expect(a.exitCode).toBe(0);
    await expect(call).resolves.toEqual({ ended: 'by A' });
    expect((await b.done).exitCode).toBe(0);
  });

  test('a BYE from B is passed to A', async () => {
    const b = await startSipp({ scenario: localScenario('uas-answer-hangup') });
    const call = b2bua(b);
    const a = await runSipp({ scenario: localScenario('uac-call-hungup'), remote });
    expect(a.exitCode).toBe(0);
    await expect(call).resolves.toEqual({ ended: 'by B' });
    expect((await b.done).exitCode).toBe(0);
  });

  test('a failure from B is passed back to A', async () => {
    const b = await startSipp({ scenario: scenario('uas-busy') });
    const failure = b2bua(b).catch((err: unknown) => err);
    const a = await runSipp({ scenario: scenario('uac-busy'), remote });
    expect(a.exitCode).toBe(0);
    expect(await failure).toMatchObject({ status: 486 });
    expect((await b.done).exitCode).toBe(0);
  });

  test('CANCEL from A cancels the B leg', async () => {
    const b = await startSipp({ scenario: scenario('uas-cancel') });
    const failure = b2bua(b).catch((err: unknown) => err);
    const a = await runSipp({ scenario: scenario('uac-cancel'), remote });
    expect(a.exitCode).toBe(0);
    expect(await failure).toMatchObject({ status: 487 });
    expect((await b.done).exitCode).toBe(0);
  });

  test('a re-INVITE from A is relayed to B with Dialog.modify (srf ACKs the re-INVITE)', async () => {
    const b = await startSipp({ scenario: localScenario('uas-answer-reinvite') });
    const call = b2bua(b);
    const a = await runSipp({ scenario: localScenario('uac-call-reinvite'), remote });
    expect(a.exitCode).toBe(0);
    await expect(call).resolves.toEqual({ ended: 'by A' });
    expect((await b.done).exitCode).toBe(0);
  });
});
