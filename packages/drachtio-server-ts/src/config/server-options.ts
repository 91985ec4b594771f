import type { Logger } from 'pino';
import type { EngineOptions } from '../engine';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/**
 * What `createServer` takes. Only the secret is required; everything else has the defaults
 * below (drachtio-server's: admin on 127.0.0.1:8022, SIP on port 5060 over UDP and TCP).
 */
export interface ServerOptions {
  /** The shared secret applications authenticate with. */
  secret: string;
  /** SIP listening contacts, e.g. 'sip:127.0.0.1:5060;transport=udp,tcp' (port 0: any free port). */
  contacts?: string[];
  admin?: {
    address?: string;
    port?: number;
    /** PEM certificate and key: the admin listener speaks TLS when both are given. */
    tls?: { cert: string | Buffer; key: string | Buffer };
  };
  /** What happens to requests no application takes. */
  requests?: {
    /** Status for a new request whose method no application registered (default 503). */
    noAppStatus?: number;
    /** Answer OPTIONS with 200 when no application takes it (default false). */
    autoAnswerOptions?: boolean;
    /** Final response to requests left unanswered by an application that disconnected (default 480). */
    disconnectStatus?: number;
  };
  /** Bounds on application connections. */
  limits?: {
    maxFrameSize?: number;
    maxConnections?: number;
    /** ms a new connection may take to authenticate. */
    authTimeout?: number;
    /** Connections not yet authenticated at once; beyond it the oldest is dropped. */
    maxUnauthenticated?: number;
    /** ms between keepalive pings; silence for twice as long drops the connection. */
    keepaliveInterval?: number;
    maxWriteBuffer?: number;
  };
  /** SIP engine settings: RFC 3261 timers, TCP idle timeout, bounds on transactions and dialogs, overload control. */
  sip?: Pick<
    EngineOptions,
    | 'timers'
    | 'tcpIdleTimeout'
    | 'maxTransactions'
    | 'lingerMemory'
    | 'maxDialogs'
    | 'sessionTimers'
    | 'drainTimeout'
    | 'protection'
    | 'addressing'
    | 'dnsServers'
    | 'outboundProxy'
    | 'mtu'
    | 'overload'
    | 'tls'
    | 'websocket'
    | 'tcpKeepaliveInterval'
  >;
  /** A pino logger; when absent, one is created at `logLevel`. */
  logger?: Logger;
  logLevel?: LogLevel;
}

export { DEFAULT_CONTACTS } from '../transport/contact';
