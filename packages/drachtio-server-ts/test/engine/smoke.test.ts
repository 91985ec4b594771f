import { runSipp } from 'drachtio-test-kit';
import type { Engine } from '../../src/engine';
import { answerOk, answerRequests, remoteOf, startEngine } from './helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(() => engine.stop());

test('smoke: sipp built-in uac', async () => {
  const seen = answerRequests(engine, answerOk);
  const result = await runSipp({ scenario: 'sn:uac', remote: remoteOf(engine) });
  console.log(result.exitCode, result.errors, seen.map((r) => r.method));
  expect(result.exitCode).toBe(0);
});
