/** Where and how to reach drachtio-server-ts, as `app.connect()` takes it. */
export interface ConnectOptions {
  host?: string;
  /** The server's admin port (8022 by default). */
  port?: number;
  secret: string;
  /** Connections that share an appName can take over each other's dialogs. */
  appName?: string;
  /** Reconnect with exponential backoff when the connection drops (default on). */
  reconnect?: boolean | BackoffOptions;
  /**
   * Ping the server every this many ms and drop the connection (then reconnect) when a ping is
   * not answered within the same time: a frozen server is noticed long before TCP would.
   * Default 15000; 0 turns it off.
   */
  keepalive?: number;
}

export interface BackoffOptions {
  /** First delay in ms (default 500); doubled after every failed attempt. */
  minDelay?: number;
  /** Upper bound of the delay in ms (default 30000). */
  maxDelay?: number;
}

export interface ReconnectInfo {
  attempt: number;
  delay: number;
}

/** The wait before reconnection attempt `attempt` (1, 2, ...): exponential backoff; undefined when reconnect is off. */
export function reconnectDelay(
  policy: boolean | BackoffOptions,
  attempt: number,
): number | undefined {
  if (policy === false) return undefined;
  const { minDelay = 500, maxDelay = 30_000 } = policy === true ? {} : policy;
  return Math.min(maxDelay, minDelay * 2 ** Math.min(attempt - 1, 16));
}
