import { createServer, type DrachtioServer, type LogLevel } from 'drachtio-server-ts';
import drachtio from '../../src/index';

/**
 * A real drachtio-server-ts in-process on ephemeral ports, and apps connected to it, for the
 * end-to-end tests. `stop()` disconnects every app and closes the server.
 */
export interface TestServer {
  server: DrachtioServer;
  secret: string;
  /** host:port of the server's UDP SIP contact, for sipp to send to. */
  sipHostport: string;
  adminPort: number;
  /** A new app, set up by `setup` before it connects; resolves once it is connected and its routes are in place. */
  connectApp(
    setup?: (app: drachtio.Application) => void,
    appName?: string,
  ): Promise<drachtio.Application>;
  stop(): Promise<void>;
}

export const SECRET = 'cymru';

export async function startTestServer(): Promise<TestServer> {
  const server = await createServer({
    secret: SECRET,
    contacts: ['sip:127.0.0.1:0;transport=udp,tcp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: (process.env.DRACHTIO_TEST_LOG as LogLevel | undefined) ?? 'silent',
  });
  const udp =
    server.sipContacts.find((contact) => contact.includes('transport=udp')) ??
    server.sipContacts[0];
  const sipHostport = /^sips?:([^;]+)/.exec(udp)?.[1] ?? '';
  const apps: drachtio.Application[] = [];
  return {
    server,
    secret: SECRET,
    sipHostport,
    adminPort: server.adminAddress.port,
    async connectApp(setup, appName) {
      const app = drachtio();
      apps.push(app);
      setup?.(app);
      await new Promise<void>((resolve, reject) => {
        app.connect(
          {
            host: '127.0.0.1',
            port: server.adminAddress.port,
            secret: SECRET,
            ...(appName ? { appName } : {}),
          },
          (err) => (err ? reject(err) : resolve()),
        );
      });
      return app;
    },
    async stop() {
      for (const app of apps) app.disconnect();
      await server.close();
    },
  };
}
