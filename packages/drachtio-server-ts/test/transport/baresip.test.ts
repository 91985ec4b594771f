/**
 * A real TLS client besides node: baresip registers over TLS (trusting the CA made at test
 * time), calls through the engine, and hangs up: REGISTER, INVITE, 200, ACK, BYE all over TLS.
 */
import { existsSync } from 'node:fs';
import { createTestCa, type TestCa } from 'drachtio-test-kit';
import type { Engine } from '../../src/engine';
import { startEngine, TestApp, waitFor } from '../engine/helpers';
import { BARESIP, Baresip } from './baresip';

const present = existsSync(BARESIP);
if (!present)
  console.log(`SKIP baresip TLS test: ${BARESIP} is absent (apt-get install baresip-core)`);
const maybe = present ? describe : describe.skip;

maybe('baresip over TLS', () => {
  let ca: TestCa;
  let engine: Engine;
  let app: TestApp;
  let phone: Baresip | undefined;

  beforeAll(async () => {
    ca = createTestCa();
    engine = await startEngine({
      contacts: ['sip:127.0.0.1:0;transport=tls'],
      tls: { cert: ca.read(ca.serverCert), key: ca.read(ca.serverKey) },
    });
    app = new TestApp(engine);
  });
  afterAll(async () => {
    await phone?.stop();
    await engine.stop();
    ca.remove();
  });

  it('registers, calls and hangs up over TLS', async () => {
    const hostport = engine.contacts[0]?.replace(/^sip:/, '').replace(/;.*$/, '');
    phone = await Baresip.start(`sip:alice@${hostport};transport=tls`, ca.caCert);
    await phone.event('REGISTER_OK').catch((error: Error) => {
      throw new Error(`${error.message}\n${phone?.output}`);
    });
    const register = app.requests.find((r) => r.method === 'REGISTER');
    expect(register?.source.transport).toBe('tls');

    phone.command('dial', `sip:echo@${hostport};transport=tls`);
    await phone.event('CALL_ESTABLISHED');
    const invite = await waitFor(() => app.requests.find((r) => r.method === 'INVITE'));
    expect(invite.source.transport).toBe('tls');
    // The ACK for the 200 confirms the dialog.
    await waitFor(() => app.dialogs.find((d) => d.event === 'confirmed'));

    phone.command('hangup');
    await phone.event('CALL_CLOSED');
    const bye = await waitFor(() => app.requests.find((r) => r.method === 'BYE'));
    expect(bye.source.transport).toBe('tls');
    await waitFor(() => app.dialogs.find((d) => d.event === 'terminated'));
    expect(app.methods().filter((m) => m !== 'ACK')).toEqual(['REGISTER', 'INVITE', 'BYE']);
  }, 90_000);
});
