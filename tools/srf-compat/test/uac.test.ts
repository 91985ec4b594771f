import { startSipp } from 'drachtio-test-kit';
import { SDP, dialogCalls, localScenario, scenario, withServerAndSrf } from './harness';

describe('drachtio-srf createUAC against drachtio-server-ts (sipp answers)', () => {
  const fx = withServerAndSrf();

  test.each([
    ['with SDP', SDP],
    ['without SDP (3pcc: srf ACKs with the SDP)', undefined],
  ])('createUAC %s: 180, 200, srf ACKs, Dialog.destroy sends BYE', async (_name, localSdp) => {
    const sipp = await startSipp({ scenario: scenario('uas-answer') });
    const provisional: number[] = [];
    const uac = await fx.srf.createUAC(
      sipp.uri('bob'),
      { localSdp },
      { cbProvisional: (res) => provisional.push(res.status) },
    );
    expect(provisional).toContain(180);
    expect(dialogCalls(uac).id).toBe(`${uac.sip.callId};from-tag=${uac.sip.localTag}`);
    expect(uac.remote.sdp).toContain('v=0');
    await dialogCalls(uac).destroy();
    const result = await sipp.done;
    expect(result.exitCode).toBe(0);
    expect(result.errors).toBe('');
  });

  test('a failure comes back as a SipError with the status; the server ACKs it', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-busy') });
    await expect(fx.srf.createUAC(sipp.uri('bob'), { localSdp: SDP })).rejects.toMatchObject({
      status: 486,
    });
    expect((await sipp.done).exitCode).toBe(0);
  });

  test('CANCEL by req.cancel() after the 180: the INVITE ends 487', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-cancel') });
    let resolveSent!: (req: { cancel(): void }) => void;
    const sent = new Promise<{ cancel(): void }>((resolve) => (resolveSent = resolve));
    // srf calls cbRequest(err, req) (lib/srf.js), not (req) as its typings say.
    const cbRequest = ((_err: unknown, req: { cancel(): void }) =>
      resolveSent(req)) as unknown as () => void;
    const call = fx.srf.createUAC(
      sipp.uri('bob'),
      { localSdp: SDP },
      {
        cbProvisional: (res) => {
          if (res.status === 180) void sent.then((req) => req.cancel());
        },
        cbRequest,
      },
    );
    await expect(call).rejects.toMatchObject({ status: 487 });
    expect((await sipp.done).exitCode).toBe(0);
  });

  test('100rel: the reliable 183 is PRACKed and the call connects', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-prack') });
    const uac = await fx.srf.createUAC(sipp.uri('bob'), {
      localSdp: SDP,
      headers: { Supported: '100rel' },
    });
    await dialogCalls(uac).destroy();
    const result = await sipp.done;
    expect(result.exitCode).toBe(0);
    expect(result.messages.find((m) => m.message === 'PRACK')?.count).toBe(1);
  });

  test('a digest challenge (401) is answered by srf with the credentials and the call connects', async () => {
    const sipp = await startSipp({ scenario: localScenario('uas-challenge') });
    const uac = await fx.srf.createUAC(sipp.uri('bob'), {
      localSdp: SDP,
      auth: { username: 'alice', password: 'secret' },
    });
    await dialogCalls(uac).destroy();
    const result = await sipp.done;
    expect(result.exitCode).toBe(0);
    expect(result.messages.filter((m) => m.message === 'INVITE').map((m) => m.count)).toEqual([
      1, 1,
    ]);
  });
});
