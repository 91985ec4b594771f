/**
 * End-to-end plumbing: a real drachtio-server-ts in this process on ephemeral ports, apps
 * connected to it with session() and dialog() installed, and helpers to wait for app events.
 */
import { join } from 'node:path';
import drachtio from 'drachtio';
import type { Application } from 'drachtio';
import { createServer } from 'drachtio-server-ts';
import { MemoryStore, session, type Store } from 'drachtio-session';
import dialog, { type SipDialogEvent, type SipDialogEventName } from '../../src';

export const SECRET = 'cymru';

export interface TestServer {
  adminPort: number;
  /** host:port where the server takes SIP over UDP. */
  sipHostport: string;
  close(): Promise<void>;
}

export async function startServer(extra: Record<string, unknown> = {}): Promise<TestServer> {
  const server = await createServer({
    secret: SECRET,
    contacts: ['sip:127.0.0.1:0;transport=udp,tcp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: (process.env.DIALOG_TEST_SERVER_LOG as 'silent' | undefined) ?? 'silent',
    ...extra,
  });
  const udp =
    server.sipContacts.find((contact: string) => /transport=udp/i.test(contact)) ??
    server.sipContacts[0];
  const match = /^sips?:([^;]+)/.exec(String(udp));
  if (!match) throw new Error(`cannot read the server's SIP contact from ${String(udp)}`);
  return {
    adminPort: server.adminAddress.port,
    sipHostport: match[1] as string,
    close: () => server.close(),
  };
}

export interface AppOptions {
  store?: Store;
  appName?: string;
  /** Install routes here: they must be known before the server is asked to route to the app. */
  setup?: (app: Application) => void;
}

export async function startApp(server: TestServer, options: AppOptions = {}): Promise<Application> {
  const app = drachtio();
  app.use(session({ store: options.store ?? new MemoryStore() }));
  app.use(dialog({ app }));
  options.setup?.(app);
  await new Promise<void>((resolve, reject) => {
    app.connect(
      {
        host: '127.0.0.1',
        port: server.adminPort,
        secret: SECRET,
        ...(options.appName && { appName: options.appName }),
        reconnect: false,
      },
      (err) => (err ? reject(err) : resolve()),
    );
  });
  // The server handles one connection's commands in order: once a ping is answered, the routes are in.
  await drachtio.internalsOf(app).agent.command('ping', {});
  return app;
}

/**
 * Disconnect once the wire is quiet: the server answers a ping after everything it received
 * before it, so responses to requests still in flight (a last BYE's 200) have arrived.
 */
export async function stopApp(app: Application | undefined): Promise<void> {
  if (!app) return;
  await drachtio
    .internalsOf(app)
    .agent.command('ping', {})
    .catch(() => undefined);
  app.disconnect();
}

/** The next `sipdialog:*` event on `app` that passes `filter`, or a rejection after `timeoutMs`. */
export function nextDialogEvent(
  app: Application,
  name: SipDialogEventName,
  filter: (e: SipDialogEvent) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<SipDialogEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      app.off(name, listener);
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (e: SipDialogEvent): void => {
      if (!filter(e)) return;
      clearTimeout(timer);
      app.off(name, listener);
      resolve(e);
    };
    app.on(name, listener);
  });
}

export function scenario(name: string): string {
  return join(__dirname, '..', 'scenarios', name);
}

export function sdp(port: number, direction?: string): string {
  return [
    'v=0',
    `o=bob 3000 1 IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    ...(direction ? [`a=${direction}`] : []),
    '',
  ].join('\r\n');
}

export const SDP_HEADERS = { 'content-type': 'application/sdp' };
