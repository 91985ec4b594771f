import type { Logger } from 'pino';
import type { SipEngine } from '../engine-api';
import type { Affinity } from './affinity';
import type { AppConnection } from './app-connection';
import type { ControlOptions } from './options';
import type { RoundRobin } from './round-robin';

/** The state the two directions of the control plane share. */
export interface ControlContext {
  readonly engine: SipEngine;
  readonly options: ControlOptions;
  readonly logger: Logger;
  /** Verb -> connections that registered it, for new requests. */
  readonly routes: RoundRobin<AppConnection>;
  /** appName -> its connections, for dialog failover. */
  readonly apps: RoundRobin<AppConnection>;
  readonly affinity: Affinity;
  /** False once the server is shutting down: new requests are refused. */
  accepting: boolean;
  /** Seconds for the Retry-After of requests refused while not accepting (a drain). */
  retryAfter?: number;
}
