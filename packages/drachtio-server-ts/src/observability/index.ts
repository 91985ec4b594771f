/**
 * Observability beside the server: the SIP trace, HEP to Homer and Prometheus metrics, all fed
 * by the engine's one transport tap, plus the call tracker the metrics and the drain share.
 */
import type { Logger } from 'pino';
import type { DrachtioServer } from '../server';
import { DialogTracker } from './dialog-tracker';
import { HepSender, type HomerTarget } from './hep-sender';
import { Metrics } from './metrics';
import { sipTrace } from './sip-trace';
import { Taps } from './taps';

export { listenForScrapes, type HealthState, type ScrapeEndpoint } from './http-endpoint';
export { DialogTracker } from './dialog-tracker';
export type { HomerTarget } from './hep-sender';

export interface ObservabilityOptions {
  sipTrace: boolean;
  homer?: HomerTarget;
  /** Count for Prometheus (when a scrape port is configured). */
  metrics: boolean;
  logger: Logger;
  /** The trace's logger: its level must be its own (info), not the daemon's. */
  traceLogger: Logger;
}

export class Observability {
  readonly dialogs: DialogTracker;
  readonly metrics: Metrics | undefined;
  private readonly taps: Taps;

  private constructor(
    server: DrachtioServer,
    private readonly hep: HepSender | undefined,
    private readonly options: ObservabilityOptions,
  ) {
    this.dialogs = new DialogTracker(server.engine);
    this.taps = new Taps(server.engine);
    this.metrics = options.metrics
      ? new Metrics({ engine: server.engine, control: server.control, dialogs: this.dialogs, hep })
      : undefined;
    this.taps.set('metrics', this.metrics?.count);
    this.taps.set('hep', hep?.capture);
    this.setTrace(options.sipTrace);
  }

  static async start(
    server: DrachtioServer,
    options: ObservabilityOptions,
  ): Promise<Observability> {
    const hep = options.homer ? await HepSender.open(options.homer, options.logger) : undefined;
    return new Observability(server, hep, options);
  }

  get tracing(): boolean {
    return this.taps.has('trace');
  }

  setTrace(on: boolean): void {
    if (on === this.tracing) return;
    this.taps.set('trace', on ? sipTrace(this.options.traceLogger) : undefined);
    this.options.logger.info({ sipTrace: on }, on ? 'SIP trace on' : 'SIP trace off');
  }

  async close(): Promise<void> {
    this.dialogs.close();
    await this.hep?.close();
  }
}
