/**
 * End-to-end plumbing: a real drachtio-server-ts in this process on ephemeral ports, and drachtio
 * apps connected to it — the way an application runs, minus the separate daemon.
 */
import drachtio from 'drachtio';
import type { Application } from 'drachtio';
import { createServer } from 'drachtio-server-ts';

export const SECRET = 'cymru';

export interface TestServer {
  adminPort: number;
  /** host:port where the server takes SIP over UDP. */
  sipHostport: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const server = await createServer({
    secret: SECRET,
    contacts: ['sip:127.0.0.1:0;transport=udp,tcp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: 'silent',
  });
  const udp =
    server.sipContacts.find((contact) => /transport=udp/i.test(contact)) ?? server.sipContacts[0];
  const match = /^sips?:([^;]+)/.exec(String(udp));
  if (!match) throw new Error(`cannot read the server's SIP contact from ${String(udp)}`);
  return {
    adminPort: server.adminAddress.port,
    sipHostport: match[1] as string,
    close: () => server.close(),
  };
}

/** Connect `app` (routes already installed) and resolve once the server knows its routes. */
export async function connectApp(
  app: Application,
  server: TestServer,
  appName?: string,
): Promise<Application> {
  await new Promise<void>((resolve, reject) => {
    app.connect(
      {
        host: '127.0.0.1',
        port: server.adminPort,
        secret: SECRET,
        ...(appName && { appName }),
        reconnect: false,
      },
      (err) => (err ? reject(err) : resolve()),
    );
  });
  // The server handles one connection's commands in order: once a ping is answered, the routes are in.
  await drachtio.internalsOf(app).agent.command('ping', {});
  return app;
}

export { drachtio };

/** Poll until `check` holds (stores are written just after responses go out); fails after ~5 s. */
export async function eventually(check: () => Promise<boolean>, what = 'condition'): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} not met within 100 attempts`);
}
