import { runSipp } from 'drachtio-test-kit';
import { SDP, connectSrf, dialogCalls, scenario, withServerAndSrf } from './harness';

describe('drachtio-srf createUAS against drachtio-server-ts (sipp calls in)', () => {
  const fx = withServerAndSrf();

  test('connect reports the hostports in the C++ format and a v-version', async () => {
    fx.srf.disconnect();
    const { srf: again, hostport, version } = await connectSrf(fx.server);
    fx.srf = again;
    expect(hostport).toMatch(/^udp\/127\.0\.0\.1:\d+,tcp\/127\.0\.0\.1:\d+$/);
    expect(version).toMatch(/^v0\.8\.\d+/);
  });

  test('createUAS answers, the dialog sees the ACK and the caller hangs up', async () => {
    const destroyed = new Promise<string>((resolve) => {
      fx.srf.invite(async (req, res) => {
        const uas = dialogCalls(await fx.srf.createUAS(req, res, { localSdp: SDP }));
        expect(uas.id).toBe(
          `${req.get('Call-ID')};from-tag=${req.getParsedHeader('from').params?.tag}`,
        );
        uas.on('destroy', (_bye, reason) => resolve(reason));
      });
    });
    const result = await runSipp({ scenario: scenario('uac-call'), remote: fx.remote });
    expect(result.exitCode).toBe(0);
    await expect(destroyed).resolves.toBe('normal release');
  });

  test('a rejection goes out as sent (486)', async () => {
    fx.srf.invite((_req, res) => res.send(486));
    const result = await runSipp({ scenario: scenario('uac-busy'), remote: fx.remote });
    expect(result.exitCode).toBe(0);
  });

  test('CANCEL reaches srf as a sip frame: the INVITE emits cancel', async () => {
    const canceled = new Promise<string>((resolve) => {
      fx.srf.invite((req, res) => {
        req.on('cancel', (cancel) => resolve(cancel.get('CSeq')));
        res.send(180);
      });
    });
    const result = await runSipp({ scenario: scenario('uac-cancel'), remote: fx.remote });
    expect(result.exitCode).toBe(0);
    await expect(canceled).resolves.toBe('1 CANCEL');
  });

  test('no ACK: srf is told with a BYE whose Reason is "ACK timeout", and the dialog is destroyed', async () => {
    const destroyed = new Promise<string>((resolve) => {
      fx.srf.invite(async (req, res) => {
        const uas = dialogCalls(await fx.srf.createUAS(req, res, { localSdp: SDP }));
        uas.on('destroy', (_bye, reason) => resolve(reason));
      });
    });
    const result = await runSipp({ scenario: scenario('uac-no-ack'), remote: fx.remote });
    expect(result.exitCode).toBe(0);
    await expect(destroyed).resolves.toBe('ACK timeout');
  });

  test('OPTIONS answered by srf.options with custom headers', async () => {
    // srf.options exists (lib/srf.js adds every SIP verb) but is missing from srf's typings.
    const options = (
      fx.srf as unknown as {
        options(
          handler: (
            req: { method: string },
            res: { send(status: number, opts: object): void },
          ) => void,
        ): void;
      }
    ).options.bind(fx.srf);
    options((req, res) => res.send(200, { headers: { 'X-Seen': req.method } }));
    const result = await runSipp({ scenario: scenario('uac-options'), remote: fx.remote });
    expect(result.exitCode).toBe(0);
  });
});
