import { join } from 'node:path';
import { createServer, type DrachtioServer } from 'drachtio-server-ts';
import Srf from 'drachtio-srf';
import { FAST_TIMERS, SDP } from 'drachtio-test-kit';

/**
 * The fixtures every srf test shares: a real drachtio-server-ts (engine and control plane, in
 * this process, on free ports), unmodified drachtio-srf applications connected to it, and the
 * sipp scenarios of the server's own tests as the far end.
 */
export const SECRET = 'srf-secret';
export { SDP };

export function scenario(name: string): string {
  return join(
    __dirname,
    '..',
    '..',
    '..',
    'packages',
    'drachtio-server-ts',
    'test',
    'scenarios',
    `${name}.xml`,
  );
}

export function localScenario(name: string): string {
  return join(__dirname, 'scenarios', `${name}.xml`);
}

export async function startServer(): Promise<{ server: DrachtioServer; remote: string }> {
  const server = await createServer({
    secret: SECRET,
    contacts: ['sip:127.0.0.1:0;transport=udp,tcp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    sip: { timers: FAST_TIMERS },
  });
  const remote = server.sipContacts[0].replace(/^sip:/, '').replace(/;.*$/, '');
  return { server, remote };
}

/** An srf application connected (and authenticated) to the server; `connect` reports hostport and version. */
export async function connectSrf(
  server: DrachtioServer,
  secret = SECRET,
  /** Set up before connecting, e.g. `cdr:*` listeners, which srf routes on connecting. */
  prepare?: (srf: Srf) => void,
): Promise<{ srf: Srf; hostport: string; version: string }> {
  const srf = new Srf();
  prepare?.(srf);
  return new Promise((resolve, reject) => {
    srf.connect({ host: '127.0.0.1', port: server.adminAddress.port, secret });
    srf.once('connect', (err: Error | null, hostport: string, version: string) => {
      if (!err) return resolve({ srf, hostport, version });
      // srf would retry for ever: a refused application is stopped here.
      srf.disconnect();
      reject(err);
    });
    // srf throws an 'error' nobody listens for; a test sees failures through 'connect'.
    srf.on('error', () => undefined);
  });
}

/** A server and one connected srf application per test, both gone after it. */
export interface SrfFixture {
  server: DrachtioServer;
  /** host:port of the server's SIP contact, for sipp's remote. */
  remote: string;
  srf: Srf;
}

export function withServerAndSrf(): SrfFixture {
  const fixture = {} as SrfFixture;
  beforeEach(async () => {
    Object.assign(fixture, await startServer());
    fixture.srf = (await connectSrf(fixture.server)).srf;
  });
  afterEach(async () => {
    fixture.srf.disconnect();
    await fixture.server.close();
  });
  return fixture;
}

/** Resolves with the first value an event gives. */
export function once<T>(
  emitter: { once(event: string, listener: (value: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve));
}

/**
 * srf 5.0.29's bundled typings disagree with its JavaScript in a few places the tests use:
 * Dialog.destroy and Dialog.request return Promises and a Dialog has an id (lib/dialog.js),
 * Srf.request takes (uri, opts, callback), createUAC's cbRequest gets (err, req). These views type the calls as srf really behaves.
 */
export interface DialogCalls {
  readonly id: string;
  on(event: 'destroy', listener: (bye: unknown, reason: string) => void): void;
  destroy(): Promise<unknown>;
  request(opts: {
    method: string;
    headers?: Record<string, string>;
    body?: string;
  }): Promise<{ status: number }>;
}

export function dialogCalls(dialog: unknown): DialogCalls {
  return dialog as DialogCalls;
}

/** A response as srf's Agent hands it to a request's 'response' listener. */
export interface ReceivedResponse {
  status: number;
  stackDialogId: string;
}

/** The ACK (to a final response of an INVITE) or PRACK (to a reliable provisional) srf sends. */
export type AckFunction = (opts?: { headers?: Record<string, string>; body?: string }) => void;

export interface SentRequest {
  stackTxnId: string;
  get(name: string): string;
  on(event: 'response', listener: (res: ReceivedResponse, ack: AckFunction) => void): void;
}

export function srfRequest(
  srf: Srf,
  uri: string,
  opts: {
    method: string;
    headers?: Record<string, string>;
    body?: string;
    stackDialogId?: string;
  },
): Promise<SentRequest> {
  const request = srf.request as unknown as (
    uri: string,
    opts: object,
    callback: (err: Error | null, req: SentRequest) => void,
  ) => void;
  return new Promise((resolve, reject) =>
    request.call(srf, uri, opts, (err, req) => (err ? reject(err) : resolve(req))),
  );
}
