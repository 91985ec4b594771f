/** The engine on ::1, sipp on ::1: calls both ways over UDP and TCP. */
import { runSipp, startSipp } from 'drachtio-test-kit';
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import { remoteOf, scenario, SDP, startEngine, TestApp, waitFor } from './helpers';

let engine: Engine;
let app: TestApp;

beforeAll(async () => {
  engine = await startEngine({ contacts: ['sip:[::1]:0;transport=udp,tcp'] });
  app = new TestApp(engine);
});
afterAll(() => engine.stop());
beforeEach(() => app.reset());

test('contacts report the bound IPv6 port', () => {
  expect(engine.contacts).toEqual([
    expect.stringMatching(/^sip:\[::1\]:[1-9]\d*;transport=udp$/),
    expect.stringMatching(/^sip:\[::1\]:[1-9]\d*;transport=tcp$/),
  ]);
});

test.each(['udp', 'tcp'] as const)('sipp calls the engine over %s on ::1', async (transport) => {
  const result = await runSipp({
    scenario: scenario('uac-call'),
    remote: remoteOf(engine, transport),
    transport,
  });
  expect(result.errors).toBe('');
  expect(result.exitCode).toBe(0);
  expect(app.methods()).toEqual(['INVITE', 'ACK', 'BYE']);
  expect(app.requests[0]?.source.address).toBe('::1');
});

test.each(['udp', 'tcp'] as const)('the engine calls sipp over %s on ::1', async (transport) => {
  const sipp = await startSipp({
    scenario: scenario('uas-answer'),
    localAddress: '::1',
    transport,
  });
  const responses: EngineResponse[] = [];
  await engine.request({ method: 'INVITE', uri: sipp.uri(), body: SDP }, (response) =>
    responses.push(response),
  );
  const ok = await waitFor(() => responses.find((r) => r.status >= 200));
  expect(ok.status).toBe(200);
  await engine.request({ method: 'BYE', dialogId: ok.dialogId }, () => undefined);
  const result = await sipp.done;
  expect(result.errors).toBe('');
  expect(result.exitCode).toBe(0);
});
