/**
 * What an operator sees of a call, on the real daemon with a real sipp call: the SIP trace in
 * the log, HEP v3 packets at a Homer collector (a UDP receiver here), and the Prometheus
 * metrics scraped over HTTP before and after.
 */
import { runSipp } from 'drachtio-test-kit';
import { CALL } from '../control/scenarios';
import { TestApp } from '../control/test-app';
import { waitFor } from '../engine/helpers';
import { HepReceiver } from '../observability/hep-receiver';
import { CliProcess } from './run-cli';

const SECRET = 'ops';

describe('operations: trace, HEP and metrics of a call', () => {
  let homer: HepReceiver;
  let daemon: CliProcess;
  let app: TestApp;
  let sip: string;
  let metricsUrl: string;

  beforeAll(async () => {
    homer = await HepReceiver.listen();
    daemon = new CliProcess([
      '--secret',
      SECRET,
      '--address',
      '127.0.0.1',
      '-p',
      '0',
      '-c',
      'sip:127.0.0.1:0;transport=udp',
      '--sip-trace',
      '--homer',
      `127.0.0.1:${homer.port}`,
      '--homer-id',
      '42',
      '--prometheus-scrape-port',
      '127.0.0.1:0',
    ]);
    const started = await daemon.logLine('drachtio-server-ts started');
    sip = (started.contacts as string[])[0].replace(/^sip:/, '').replace(/;.*$/, '');
    metricsUrl = `http://${started.metrics as string}`;
    app = await TestApp.connect((started.admin as { port: number }).port, SECRET, [
      'INVITE',
      'BYE',
    ]);
  });

  afterAll(async () => {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await homer.close();
  });

  it('is healthy, and counts a call in the metrics scraped before and after it', async () => {
    const health = await fetch(`${metricsUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ready' });
    const before = await scrape(metricsUrl);
    expect(before.get('drachtio_calls_total')).toBe(0);
    expect(before.get('drachtio_app_connections')).toBe(1);
    expect(
      before.get('drachtio_sip_requests_total{direction="in",method="INVITE"}'),
    ).toBeUndefined();
    expect(before.has('nodejs_eventloop_lag_seconds')).toBe(true);

    const result = await runSipp({ scenario: CALL, remote: sip });
    expect(result.exitCode).toBe(0);
    expect(app.count('INVITE')).toBe(1);

    const after = await scrape(metricsUrl);
    expect(after.get('drachtio_calls_total')).toBe(1);
    expect(after.get('drachtio_sip_requests_total{direction="in",method="INVITE"}')).toBe(1);
    expect(after.get('drachtio_sip_requests_total{direction="in",method="ACK"}')).toBe(1);
    expect(after.get('drachtio_sip_requests_total{direction="in",method="BYE"}')).toBe(1);
    expect(
      after.get('drachtio_sip_responses_total{direction="out",method="INVITE",status="200"}'),
    ).toBe(1);
    expect(
      after.get('drachtio_sip_responses_total{direction="out",method="BYE",status="200"}'),
    ).toBe(1);
    expect(after.get('drachtio_sip_dialogs{state="confirmed",role="uas"}')).toBe(0);
    // Over UDP both server transactions linger, absorbing retransmissions (RFC 6026 Timer L, Timer J).
    expect(after.get('drachtio_sip_transactions{kind="server",state="accepted"}')).toBe(1);
    expect(after.get('drachtio_sip_transactions{kind="server",state="completed"}')).toBe(1);
    expect(after.get('drachtio_sip_lingering_forgotten_total')).toBe(0);
    expect(after.get('drachtio_wire_frames_total{direction="in"}')).toBeGreaterThan(
      before.get('drachtio_wire_frames_total{direction="in"}') ?? 0,
    );
    expect(after.get('drachtio_hep_packets_total{result="sent"}')).toBeGreaterThanOrEqual(5);
    expect(after.has('drachtio_udp_drops_total')).toBe(true);
    expect(after.has('drachtio_limits_hit_total{limit="max-connections"}')).toBe(true);
  });

  it('traces every message of the call with direction, transport, both addresses and the whole text', async () => {
    const trace = await waitFor(() => {
      const lines = traceLines(daemon.stdout);
      return lines.length >= 5 ? lines : undefined;
    });
    const [invite, ...rest] = trace;
    expect(invite).toMatchObject({
      direction: 'in',
      transport: 'udp',
      local: sip,
      layer: 'sip-trace',
    });
    expect(invite.msg).toMatch(
      new RegExp(`^recv \\d+ bytes from udp/127\\.0\\.0\\.1:\\d+ at ${sip.replace(/\./g, '\\.')}$`),
    );
    expect(invite.message).toMatch(
      /^INVITE sip:service@.*\r\n(.*\r\n)*Content-Type: application\/sdp\r\n(.*\r\n)*\r\nv=0/,
    );
    const summary = [invite, ...rest].map(
      (line) => `${line.direction} ${String(line.message).split('\r\n')[0]}`,
    );
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^in INVITE /),
        'out SIP/2.0 200 OK',
        expect.stringMatching(/^in ACK /),
        expect.stringMatching(/^in BYE /),
      ]),
    );
    // The application answered at once, so no 100 Trying was needed (RFC 3261 17.2.1).
    expect(summary).not.toContain('out SIP/2.0 100 Trying');
    const out = rest.find((line) => line.direction === 'out');
    expect(out).toMatchObject({ local: sip, remote: invite.remote });
    expect(out?.msg).toMatch(/^send \d+ bytes to udp\/127\.0\.0\.1:\d+ from /);
  });

  it('sends each message to Homer as HEP v3: addresses, ports, protocol, capture id, the message', async () => {
    // INVITE, 200, ACK, BYE, 200
    await waitFor(() => homer.packets.length >= 5 || undefined);
    const [sipHost, sipPort] = sip.split(':');
    const invite = homer.packets.find((packet) => packet.payload.startsWith('INVITE '));
    expect(invite).toMatchObject({
      family: 2,
      protocol: 17,
      protocolType: 1,
      captureId: 42,
      destination: sipHost,
      destinationPort: Number(sipPort),
      source: '127.0.0.1',
    });
    const ok = homer.packets.find(
      (packet) => packet.payload.startsWith('SIP/2.0 200') && packet.payload.includes('INVITE'),
    );
    expect(ok).toMatchObject({
      source: sipHost,
      sourcePort: Number(sipPort),
      destinationPort: invite?.sourcePort,
    });
    const now = Date.now() / 1000;
    expect(Math.abs((invite?.seconds ?? 0) - now)).toBeLessThan(60);
    expect(invite?.micros).toBeLessThan(1_000_000);
  });
});

/** The trace's log lines, in order. */
function traceLines(stdout: string): Array<Record<string, string>> {
  return stdout
    .split('\n')
    .filter((line) => line.includes('"layer":"sip-trace"'))
    .map((line) => JSON.parse(line) as Record<string, string>);
}

/** Prometheus text format as a map of "name{labels}" to value. */
async function scrape(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}
