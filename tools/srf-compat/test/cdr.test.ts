import type Srf from 'drachtio-srf';
import { runSipp, startSipp } from 'drachtio-test-kit';
import { SDP, SECRET, connectSrf, dialogCalls, scenario, withServerAndSrf } from './harness';

/** One record as srf's Srf emits it: `cdr:<type>` with (source, time[, role|reason], msg). */
interface Cdr {
  type: string;
  source: string;
  time: string;
  detail?: string;
  method?: string;
  status?: number;
}

interface CdrMessage {
  method?: string;
  status?: number;
}

/** An srf app that only records the CDRs it is sent (subscribed before it connects, as srf allows). */
function recordCdrs(srf: Srf, records: Cdr[]): void {
  const on = srf.on.bind(srf) as (event: string, listener: (...args: unknown[]) => void) => void;
  const push = (type: string, args: unknown[]) => {
    const msg = args[args.length - 1] as CdrMessage;
    records.push({
      type,
      source: String(args[0]),
      time: String(args[1]),
      detail: args.length === 4 ? String(args[2]) : undefined,
      method: msg.method,
      status: msg.status,
    });
  };
  for (const type of ['attempt', 'start', 'stop'])
    on(`cdr:${type}`, (...args: unknown[]) => push(type, args));
}

const summary = (records: Cdr[]) =>
  records.map(({ type, source, detail, method, status }) => [
    type,
    source,
    detail,
    method ?? status,
  ]);

/** Resolves once `count` records have arrived (they follow the SIP frames they are about). */
async function settled(records: Cdr[], count: number): Promise<void> {
  for (let waited = 0; records.length < count && waited < 5000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('drachtio-srf cdr:attempt|start|stop from drachtio-server-ts', () => {
  const fx = withServerAndSrf();

  test('UAC: a separate CDR application is sent attempt (application), start (network, uac), stop (application, normal-release)', async () => {
    const records: Cdr[] = [];
    const { srf: cdrApp } = await connectSrf(fx.server, SECRET, (srf) => recordCdrs(srf, records));
    try {
      const sipp = await startSipp({ scenario: scenario('uas-answer') });
      const uac = await fx.srf.createUAC(sipp.uri('bob'), { localSdp: SDP });
      await dialogCalls(uac).destroy();
      expect((await sipp.done).exitCode).toBe(0);
      await settled(records, 3);
      expect(summary(records)).toEqual([
        ['attempt', 'application', undefined, 'INVITE'],
        ['start', 'network', 'uac', 200],
        ['stop', 'application', 'normal-release', 'BYE'],
      ]);
      expect(records[0]?.time).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{6}$/);
    } finally {
      cdrApp.disconnect();
    }
  });

  test('UAC rejected: stop (network, call-rejected) with the 486', async () => {
    const records: Cdr[] = [];
    recordCdrs(fx.srf, records);
    const sipp = await startSipp({ scenario: scenario('uas-busy') });
    await expect(fx.srf.createUAC(sipp.uri('bob'), { localSdp: SDP })).rejects.toMatchObject({
      status: 486,
    });
    expect((await sipp.done).exitCode).toBe(0);
    await settled(records, 2);
    expect(summary(records)).toEqual([
      ['attempt', 'application', undefined, 'INVITE'],
      ['stop', 'network', 'call-rejected', 486],
    ]);
  });

  type Answer = Parameters<Parameters<Srf['invite']>[0]>;
  const attempt = ['attempt', 'network', undefined, 'INVITE'];
  test.each<[string, string, (srf: Srf, ...call: Answer) => unknown, unknown[][]]>([
    [
      'UAS: attempt (network), start (application, uas), stop (network, normal-release)',
      'uac-call',
      (srf, req, res) => srf.createUAS(req, res, { localSdp: SDP }),
      [attempt, ['start', 'application', 'uas', 200], ['stop', 'network', 'normal-release', 'BYE']],
    ],
    [
      'UAS rejecting: stop (application, call-rejected) with the response as sent',
      'uac-busy',
      (_srf, _req, res) => res.send(486),
      [attempt, ['stop', 'application', 'call-rejected', 486]],
    ],
    [
      'UAS canceled: stop (network, call-canceled) with the CANCEL',
      'uac-cancel',
      (_srf, _req, res) => res.send(180),
      [attempt, ['stop', 'network', 'call-canceled', 'CANCEL']],
    ],
  ])('%s', async (_name, sippScenario, answer, expected) => {
    const records: Cdr[] = [];
    recordCdrs(fx.srf, records);
    fx.srf.invite((req, res) => void answer(fx.srf, req, res));
    const result = await runSipp({ scenario: scenario(sippScenario), remote: fx.remote });
    expect(result.exitCode).toBe(0);
    await settled(records, expected.length);
    expect(summary(records)).toEqual(expected);
  });
});
