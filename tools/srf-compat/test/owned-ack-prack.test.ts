import { startSipp } from 'drachtio-test-kit';
import {
  SDP,
  dialogCalls,
  localScenario,
  scenario,
  srfRequest,
  withServerAndSrf,
  type ReceivedResponse,
} from './harness';

/**
 * srf ACKs every 2xx and PRACKs every reliable provisional itself (the C++ server lets it): the
 * server must put srf's own messages on the wire, not messages of its own. sipp checks headers
 * only srf's messages carry.
 */
describe('drachtio-srf owns its ACK and PRACK', () => {
  const fx = withServerAndSrf();

  test('INVITE with SDP and 100rel: srf PRACKs the reliable 183 and ACKs the 200, with its own headers', async () => {
    const sipp = await startSipp({ scenario: localScenario('uas-prack-owned') });
    const req = await srfRequest(fx.srf, sipp.uri('bob'), {
      method: 'INVITE',
      headers: { Supported: '100rel', 'Content-Type': 'application/sdp' },
      body: SDP,
    });
    const answered = new Promise<ReceivedResponse>((resolve) =>
      req.on('response', (res, ack) => {
        if (res.status === 183) ack({ headers: { 'X-Prack-By': 'srf' } });
        if (res.status === 200) {
          ack({ headers: { 'X-Ack-By': 'srf' } });
          resolve(res);
        }
      }),
    );
    const res = await answered;
    await srfRequest(fx.srf, 'sip:placeholder', {
      method: 'BYE',
      stackDialogId: res.stackDialogId,
    });
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.messages.find((m) => m.message === 'PRACK')?.count).toBe(1);
  });

  test("createUAC with SDP: exactly one ACK on the wire (srf's, not doubled by one of the server's)", async () => {
    const sipp = await startSipp({ scenario: scenario('uas-answer') });
    const uac = await fx.srf.createUAC(sipp.uri('bob'), { localSdp: SDP });
    await dialogCalls(uac).destroy();
    const result = await sipp.done;
    expect(result.exitCode).toBe(0);
    expect(result.messages.find((m) => m.message === 'ACK')?.count).toBe(1);
  });
});
