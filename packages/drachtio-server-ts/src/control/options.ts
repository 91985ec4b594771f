import { DEFAULT_ADMIN_PORT } from 'drachtio-protocol';

/** Everything the control plane can be told; config/ fills it from file, environment and flags. */
export interface ControlOptions {
  /** Admin listener address and port (port 0: any free port). */
  address: string;
  port: number;
  /** The shared secret applications authenticate with. */
  secret: string;
  /** PEM certificate and key: the admin listener speaks TLS when both are given. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Largest frame accepted from an application, in bytes. */
  maxFrameSize: number;
  maxConnections: number;
  /** How long a new connection may take to authenticate, ms. */
  authTimeout: number;
  /** Connections not yet authenticated at once; a new one beyond it drops the oldest. */
  maxUnauthenticated: number;
  /** The server pings an idle application this often, ms; silence for twice as long closes it. */
  keepaliveInterval: number;
  /** Bytes queued for a connection that does not read before it is dropped. */
  maxWriteBuffer: number;
  /** The status for a new request no application has registered its method for. */
  noAppStatus: number;
  /** Answer OPTIONS with 200 when no application takes it. */
  autoAnswerOptions: boolean;
  /** The final response for requests left unanswered by an application that went away. */
  disconnectStatus: number;
}

export const DEFAULT_CONTROL_OPTIONS: Omit<ControlOptions, 'secret'> = {
  address: '127.0.0.1',
  port: DEFAULT_ADMIN_PORT,
  maxFrameSize: 1024 * 1024,
  maxConnections: 1000,
  authTimeout: 10_000,
  maxUnauthenticated: 50,
  keepaliveInterval: 30_000,
  maxWriteBuffer: 16 * 1024 * 1024,
  noAppStatus: 503,
  autoAnswerOptions: false,
  disconnectStatus: 480,
};
