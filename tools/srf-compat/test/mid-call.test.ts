import { runSipp, startSipp } from 'drachtio-test-kit';
import { SDP, dialogCalls, localScenario, withServerAndSrf } from './harness';

/** srf's Dialog.modify as the docs show it: a new SDP, or 'hold' / 'unhold'. */
interface Modifiable {
  modify(sdpOrHold: string): Promise<string>;
}

describe('drachtio-srf mid-call requests against drachtio-server-ts', () => {
  const fx = withServerAndSrf();

  test('Dialog.modify on the UAS side: srf re-INVITEs the caller (hold: a=inactive), then the caller hangs up', async () => {
    const held = new Promise<string>((resolve, reject) => {
      fx.srf.invite(async (req, res) => {
        try {
          // srf's hold turns a=sendrecv into a=inactive.
          const uas = await fx.srf.createUAS(req, res, { localSdp: `${SDP}a=sendrecv\r\n` });
          resolve(await (uas as unknown as Modifiable).modify('hold'));
        } catch (err) {
          reject(err);
        }
      });
    });
    const result = await runSipp({
      scenario: localScenario('uac-call-reinvited'),
      remote: fx.remote,
    });
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    await expect(held).resolves.toContain('a=inactive');
  });

  test('a BYE from the far end while srf re-INVITEs: the dialog is destroyed, modify fails 487', async () => {
    const sipp = await startSipp({ scenario: localScenario('uas-answer-bye-during-reinvite') });
    const uac = await fx.srf.createUAC(sipp.uri('bob'), { localSdp: SDP });
    const destroyed = new Promise<string>((resolve) =>
      dialogCalls(uac).on('destroy', (_bye, reason) => resolve(reason)),
    );
    const modified = (uac as unknown as Modifiable).modify(SDP).catch((err: unknown) => err);
    await expect(destroyed).resolves.toBe('normal release');
    expect(await modified).toMatchObject({ status: 487 });
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
  });
});
