import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ControlPlane, DEFAULT_CONTROL_OPTIONS } from '../../src/control';
import { FakeEngine } from './fake-engine';
import { WireClient } from './wire-client';

/** The admin listener speaks TLS when given a certificate and key (a pure unit test: fake engine). */
describe('admin listener over TLS', () => {
  let dir: string;
  let control: ControlPlane;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drachtio-tls-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    control = new ControlPlane(
      new FakeEngine(),
      {
        ...DEFAULT_CONTROL_OPTIONS,
        port: 0,
        secret: 'tls-secret',
        tls: { cert: readFileSync(cert), key: readFileSync(key) },
      },
      pino({ level: 'silent' }),
    );
    ({ port } = await control.listen());
  });

  afterAll(async () => {
    await control.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('authenticates an application over TLS', async () => {
    const client = await WireClient.connectTls(port);
    expect(await client.authenticate('tls-secret')).toMatchObject({
      ok: true,
      data: { version: 2 },
    });
    expect(await client.call('ping', {})).toMatchObject({ ok: true });
    await client.close();
  });

  it('does not speak the protocol in plain text on a TLS port', async () => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    socket.write('55#{"type":"request","rid":"8","command":"ping","data":{}}');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Buffer.concat(received).toString('latin1')).not.toContain('"ok":true');
  });
});
