import { startSipp } from 'drachtio-test-kit';
import { SDP, dialogCalls, localScenario, srfRequest, withServerAndSrf } from './harness';

describe('drachtio-srf requests and dialogs against drachtio-server-ts', () => {
  const fx = withServerAndSrf();

  test('srf.request OPTIONS outside a dialog gets its 200; From with localhost is given the server host', async () => {
    const sipp = await startSipp({ scenario: localScenario('uas-options') });
    const req = await srfRequest(fx.srf, sipp.uri('bob'), {
      method: 'OPTIONS',
      headers: { From: 'sip:alice@localhost' },
    });
    expect(req.get('From')).toMatch(/^<?sip:alice@127\.0\.0\.1:\d+>?;tag=/);
    expect(req.stackTxnId).toBeTruthy();
    const status = await new Promise<number>((resolve) =>
      req.on('response', (res) => resolve(res.status)),
    );
    expect(status).toBe(200);
    expect((await sipp.done).exitCode).toBe(0);
  });

  test('INFO inside a dialog (Dialog.request), then Dialog.destroy', async () => {
    const sipp = await startSipp({ scenario: localScenario('uas-answer-info') });
    const uac = await fx.srf.createUAC(sipp.uri('bob'), { localSdp: SDP });
    const res = await dialogCalls(uac).request({
      method: 'INFO',
      headers: { 'Content-Type': 'application/json' },
      body: '{"dtmf":"1"}',
    });
    expect(res.status).toBe(200);
    await dialogCalls(uac).destroy();
    expect((await sipp.done).exitCode).toBe(0);
  });

  test('a request in a dialog that is gone fails with ENODIALOG (the C++ text)', async () => {
    const sipp = await startSipp({ scenario: localScenario('uas-answer-info') });
    const uac = await fx.srf.createUAC(sipp.uri('bob'), { localSdp: SDP });
    await dialogCalls(uac).request({
      method: 'INFO',
      headers: { 'Content-Type': 'text/plain' },
      body: 'x',
    });
    await dialogCalls(uac).destroy();
    const error = (await srfRequest(fx.srf, 'sip:placeholder', {
      method: 'INFO',
      stackDialogId: dialogCalls(uac).id,
    }).catch((err: unknown) => err)) as Error & { code?: string };
    expect(error.message).toBe('Server error: unable to find dialog for dialog id provided');
    expect(error.code).toBe('ENODIALOG');
    expect((await sipp.done).exitCode).toBe(0);
  });
});
