import pino from 'pino';
import {
  ControlPlane,
  DEFAULT_CONTROL_OPTIONS,
  type AdminAddress,
  type ControlOptions,
} from './control';
import { DEFAULT_CONTACTS, type ServerOptions } from './config/server-options';
import { Engine } from './engine';

/** A running server: the SIP engine and the admin port applications connect to. */
export interface DrachtioServer {
  engine: Engine;
  /** The application side: connections, routing, affinity (its `stats` show what it holds). */
  control: ControlPlane;
  adminAddress: AdminAddress;
  /** Every SIP contact, one per transport, with the ports actually bound. */
  sipContacts: string[];
  /** Refuse new requests (503) from now on; calls in progress carry on. */
  stopAccepting(): void;
  /** Stops taking new requests, lets transactions finish briefly, closes every socket. */
  close(): Promise<void>;
}

/** Why the server could not start, in one line fit for a terminal. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/**
 * Engine + control plane: listens for SIP on the contacts and for applications on the admin
 * port. Resolves once both listen; fails with a StartupError (and nothing left open) otherwise.
 */
export async function createServer(options: ServerOptions): Promise<DrachtioServer> {
  if (typeof options?.secret !== 'string' || options.secret === '') {
    throw new StartupError('a secret is required: applications authenticate with it');
  }
  const logger = options.logger ?? pino({ level: options.logLevel ?? 'info' });
  const contacts = options.contacts ?? [...DEFAULT_CONTACTS];
  let engine: Engine;
  try {
    engine = new Engine({ ...options.sip, contacts, logger: logger.child({ layer: 'sip' }) });
  } catch (err) {
    throw new StartupError((err as Error).message, { cause: err });
  }
  try {
    await engine.start();
  } catch (err) {
    await engine.stop().catch(() => undefined);
    throw new StartupError(
      `cannot listen for SIP on ${contacts.join(', ')}: ${describeListenError(err)}`,
      { cause: err },
    );
  }

  const controlOptions: ControlOptions = {
    ...DEFAULT_CONTROL_OPTIONS,
    ...options.requests,
    ...options.limits,
    ...definedOnly({
      address: options.admin?.address,
      port: options.admin?.port,
      tls: options.admin?.tls,
    }),
    secret: options.secret,
  };
  const control = new ControlPlane(engine, controlOptions, logger.child({ layer: 'control' }));
  let adminAddress: AdminAddress;
  try {
    adminAddress = await control.listen();
  } catch (err) {
    await control.close().catch(() => undefined);
    await engine.stop();
    throw new StartupError(
      `cannot listen for applications on ${controlOptions.address}:${controlOptions.port}: ${describeListenError(err)}`,
      { cause: err },
    );
  }

  let closing: Promise<void> | undefined;
  return {
    engine,
    control,
    adminAddress,
    sipContacts: [...engine.contacts],
    stopAccepting: () => control.stopAccepting(),
    close() {
      closing ??= (async () => {
        control.stopAccepting();
        await engine.stop();
        await control.close();
        logger.info('server stopped');
      })();
      return closing;
    },
  };
}

/** Why a listen failed, in words an operator reads (shared by every listener of the daemon). */
export function describeListenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'address already in use';
  if (code === 'EADDRNOTAVAIL') return 'address not available on this host';
  if (code === 'EACCES') return 'permission denied';
  return (err as Error).message;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
