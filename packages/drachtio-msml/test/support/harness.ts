/**
 * End-to-end set-up: a real drachtio-server-ts in-process on ephemeral ports, the media-server
 * simulator on UDP, and drachtio apps using drachtio-msml connected to the server.
 */
import { join } from 'node:path';
import drachtio from 'drachtio';
import { createServer, type DrachtioServer } from 'drachtio-server-ts';
import { MediaServerSimulator, type SimulatorScript } from '../../src/simulator';
import msml from '../../src';

export interface Harness {
  server: DrachtioServer;
  simulator: MediaServerSimulator;
  /** host:port of the server's UDP SIP contact: where sipp calls. */
  sipHostport: string;
  /** A connected app with `msml(app)` and its INFO router mounted. */
  connectApp(): Promise<{ app: drachtio.Application; media: msml.Msml }>;
  stop(): Promise<void>;
}

const SECRET = 'cymru';

export const CALLER_SCENARIO = join(__dirname, '..', 'scenarios', 'caller-waits-for-bye.xml');

export async function startHarness(script: Partial<SimulatorScript> = {}): Promise<Harness> {
  const server = await createServer({
    secret: SECRET,
    contacts: ['sip:127.0.0.1:0;transport=udp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: 'silent',
  });
  const simulator = new MediaServerSimulator({ script });
  await simulator.start();
  const udp = server.sipContacts[0] ?? '';
  const apps: drachtio.Application[] = [];
  return {
    server,
    simulator,
    sipHostport: /^sips?:([^;]+)/.exec(udp)?.[1] ?? '',
    async connectApp() {
      const app = drachtio();
      apps.push(app);
      const media = msml(app);
      app.use('info', msml.router);
      await new Promise<void>((resolve, reject) =>
        app.connect({ host: '127.0.0.1', port: server.adminAddress.port, secret: SECRET }, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
      await drachtio.internalsOf(app).agent.command('ping', {});
      return { app, media };
    },
    async stop() {
      for (const app of apps) app.disconnect();
      await simulator.stop();
      await server.close();
    },
  };
}

/** Resolves with the first emission of `event` on `emitter`. */
export function once<T>(
  emitter: { once(event: string, fn: (value: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve));
}
