import { runSipp, startSipp, type SippProcess } from 'drachtio-test-kit';
import { dialogCalls, localScenario, scenario, withServerAndSrf } from './harness';

/** sipp calls in (A leg), an srf B2BUA calls sipp out (B leg). */
describe('drachtio-srf createB2BUA against drachtio-server-ts', () => {
  const fx = withServerAndSrf();

  /** Every call goes to `b`; when either leg ends, the other is hung up (srf's usual app). */
  function b2bua(b: SippProcess): Promise<{ ended: string }> {
    return new Promise((resolve, reject) => {
      fx.srf.invite(async (req, res) => {
        try {
          const { uas, uac } = await fx.srf.createB2BUA(req, res, b.uri('bob'), {});
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

  test.each([
    [
      'connects, and a BYE from A is passed to B',
      scenario('uac-call'),
      scenario('uas-answer'),
      'by A',
    ],
    [
      'a BYE from B is passed to A',
      localScenario('uac-call-hungup'),
      localScenario('uas-answer-hangup'),
      'by B',
    ],
    [
      'a re-INVITE from A is relayed to B with Dialog.modify (srf ACKs the re-INVITE)',
      localScenario('uac-call-reinvite'),
      localScenario('uas-answer-reinvite'),
      'by A',
    ],
  ])('%s', async (_name, aScenario, bScenario, ended) => {
    const b = await startSipp({ scenario: bScenario });
    const call = b2bua(b);
    const a = await runSipp({ scenario: aScenario, remote: fx.remote });
    expect(a.exitCode).toBe(0);
    await expect(call).resolves.toEqual({ ended });
    expect((await b.done).exitCode).toBe(0);
  });

  test.each([
    ['a failure from B is passed back to A', scenario('uac-busy'), scenario('uas-busy'), 486],
    ['CANCEL from A cancels the B leg', scenario('uac-cancel'), scenario('uas-cancel'), 487],
  ])('%s', async (_name, aScenario, bScenario, status) => {
    const b = await startSipp({ scenario: bScenario });
    const failure = b2bua(b).catch((err: unknown) => err);
    const a = await runSipp({ scenario: aScenario, remote: fx.remote });
    expect(a.exitCode).toBe(0);
    expect(await failure).toMatchObject({ status });
    expect((await b.done).exitCode).toBe(0);
  });

  test("an UPDATE from A is relayed to B with the headers named in proxyRequestHeaders, and B's 200 back to A (srf relays no body back)", async () => {
    const b = await startSipp({ scenario: localScenario('uas-answer-update') });
    const relay = srfRelay(fx.srf);
    const call = new Promise<void>((resolve, reject) => {
      fx.srf.invite(async (req, res) => {
        try {
          const { uas, uac } = await fx.srf.createB2BUA(req, res, b.uri('bob'), {
            proxyRequestHeaders: ['X-Relay'],
          });
          uas.on('update', (update: unknown, answer: unknown) =>
            relay(uac, update, answer, ['X-Relay'], []),
          );
          uas.on(
            'destroy',
            () =>
              void dialogCalls(uac)
                .destroy()
                .then(() => resolve()),
          );
        } catch (err) {
          reject(err);
        }
      });
    });
    const a = await runSipp({ scenario: localScenario('uac-call-update'), remote: fx.remote });
    expect(a.errors).toBe('');
    expect(a.exitCode).toBe(0);
    await call;
    const result = await b.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
  });
});

/**
 * srf's own in-dialog relay for a B2BUA (Srf#_b2bRequestWithinDialog, lib/srf.js): the request
 * is sent in the other leg with the listed headers and body, and its response sent back.
 */
function srfRelay(srf: unknown) {
  const relay = (
    srf as {
      _b2bRequestWithinDialog(
        dlg: unknown,
        req: unknown,
        res: unknown,
        proxyRequestHeaders: string[],
        proxyResponseHeaders: string[],
      ): void;
    }
  )._b2bRequestWithinDialog;
  return (dlg: unknown, req: unknown, res: unknown, request: string[], response: string[]) =>
    relay.call(srf, dlg, req, res, request, response);
}
