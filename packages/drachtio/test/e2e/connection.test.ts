import { createServer, type DrachtioServer } from 'drachtio-server-ts';
import drachtio from '../../src/index';
import { SECRET } from '../support/server';

/** app.connect / reconnection / app.disconnect against a real drachtio-server-ts. */

const start = (adminPort = 0): Promise<DrachtioServer> =>
  createServer({
    secret: SECRET,
    contacts: ['sip:127.0.0.1:0;transport=udp,tcp'],
    admin: { address: '127.0.0.1', port: adminPort },
    logLevel: 'silent',
  });

const once = <T extends unknown[]>(
  app: drachtio.Application,
  event: keyof drachtio.ApplicationEvents,
): Promise<T> =>
  new Promise((resolve) => app.once(event, (...args: unknown[]) => resolve(args as T)));

describe('app.connect', () => {
  it("calls back with the server's SIP hostport and emits 'connect'", async () => {
    const server = await start();
    const app = drachtio();
    try {
      const event = once<[Error | null, string]>(app, 'connect');
      const hostport = await new Promise<string | undefined>((resolve, reject) => {
        app.connect(
          { host: '127.0.0.1', port: server.adminAddress.port, secret: SECRET, appName: 'myApp' },
          (err, hp) => (err ? reject(err) : resolve(hp)),
        );
      });
      expect(server.sipContacts[0]).toContain(hostport);
      expect(await event).toEqual([null, hostport]);
      expect(app.connected).toBe(true);
    } finally {
      app.disconnect();
      await server.close();
    }
  });

  it('reports a wrong secret to the callback and does not retry', async () => {
    const server = await start();
    const app = drachtio();
    const reconnecting = jest.fn();
    app.on('reconnecting', reconnecting);
    try {
      const err = await new Promise<Error | null>((resolve) =>
        app.connect({ host: '127.0.0.1', port: server.adminAddress.port, secret: 'wrong' }, (e) =>
          resolve(e),
        ),
      );
      expect(err).toBeInstanceOf(drachtio.ServerError);
      expect((err as drachtio.ServerError).code).toBe('auth-failed');
      expect(reconnecting).not.toHaveBeenCalled();
      expect(app.connected).toBe(false);
    } finally {
      app.disconnect();
      await server.close();
    }
  });

  it("emits 'disconnect' and 'reconnecting' when the server goes away, and reconnects with its routes when it is back", async () => {
    const first = await start();
    const adminPort = first.adminAddress.port;
    const app = drachtio();
    const delays: number[] = [];
    app.on('reconnecting', (info) => delays.push(info.delay));
    app.options((req, res) => res.send(200));
    let second: DrachtioServer | undefined;
    try {
      await new Promise<void>((resolve, reject) =>
        app.connect(
          {
            host: '127.0.0.1',
            port: adminPort,
            secret: SECRET,
            reconnect: { minDelay: 50, maxDelay: 200 },
          },
          (err) => (err ? reject(err) : resolve()),
        ),
      );
      const disconnected = once(app, 'disconnect');
      await first.close();
      await disconnected;
      // Let a few attempts fail so the backoff shows, then bring a server back on the same port.
      while (delays.length < 3) await once(app, 'reconnecting');
      const reconnected = once<[Error | null, string]>(app, 'connect');
      second = await start(adminPort);
      const [err] = await reconnected;
      expect(err).toBeNull();
      expect(delays.slice(0, 3)).toEqual([50, 100, 200]);
      // The routes were registered again: the new server hands the app an OPTIONS.
      const probe = drachtio();
      await new Promise<void>((resolve, reject) =>
        probe.connect({ host: '127.0.0.1', port: adminPort, secret: SECRET }, (e) =>
          e ? reject(e) : resolve(),
        ),
      );
      const hostport = /^sip:([^;]+)/.exec(second.sipContacts[0])?.[1];
      const res = await probe.uac.options(`sip:ping@${hostport}`);
      probe.disconnect();
      expect(res.status).toBe(200);
      expect(res.reason).toBe('OK');
    } finally {
      app.disconnect();
      await second?.close();
    }
  });

  it('app.disconnect() fails requests still waiting for the connection', async () => {
    const app = drachtio();
    app.connect({ host: '127.0.0.1', port: 9, secret: SECRET, reconnect: false });
    app.on('connect', () => undefined);
    const pending = app.uac.options('sip:nobody@127.0.0.1');
    app.disconnect();
    await expect(pending).rejects.toBeInstanceOf(drachtio.NotConnectedError);
  });
});

describe('a request in flight when the connection is lost', () => {
  it('fails with NotConnectedError instead of waiting forever', async () => {
    const server = await start();
    const app = drachtio();
    try {
      await new Promise<void>((resolve, reject) =>
        app.connect(
          { host: '127.0.0.1', port: server.adminAddress.port, secret: SECRET, reconnect: false },
          (err) => (err ? reject(err) : resolve()),
        ),
      );
      // A UDP port nobody answers on: the INVITE stays in flight until the connection goes.
      const request = app.uac('sip:nobody@127.0.0.1:9');
      await new Promise((resolve) => request.once('sent', resolve));
      app.disconnect();
      await expect(request).rejects.toBeInstanceOf(drachtio.NotConnectedError);
    } finally {
      await server.close();
    }
  });
});
