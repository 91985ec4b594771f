/**
 * The Prometheus metrics. Message counters are bumped from the transport tap through label
 * children resolved once per label set (a Map lookup, no label validation per message); the
 * gauges (transactions, dialogs, connections, frames) are read from the engine and control
 * plane only when Prometheus scrapes.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ControlPlane } from '../control';
import { CONTROL_LIMITS } from '../control';
import type { Engine } from '../engine';
import { REFUSAL_REASONS } from '../overload/overload-control';
import { SIP_LIMITS } from '../transport/limits/limit-counters';
import type { TapDirection } from '../transport/tap';
import { udpPorts, udpSocketStats } from '../transport/udp-socket-stats';
import type { DialogTracker } from './dialog-tracker';
import type { HepSender } from './hep-sender';
import { summarize } from './sip-summary';

export interface MetricsSources {
  engine: Engine;
  control: ControlPlane;
  dialogs: DialogTracker;
  /** Set when HEP is on. */
  hep: HepSender | undefined;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'direction' | 'method'>;
  private readonly responses: Counter<'direction' | 'method' | 'status'>;
  /** Label children by "direction method status": bounded, as summarize() labels are. */
  private readonly children = new Map<string, Counter.Internal>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    this.requests = new Counter({
      name: 'drachtio_sip_requests_total',
      help: 'SIP requests by direction and method',
      labelNames: ['direction', 'method'],
      registers,
    });
    this.responses = new Counter({
      name: 'drachtio_sip_responses_total',
      help: 'SIP responses by direction, method (from CSeq) and status',
      labelNames: ['direction', 'method', 'status'],
      registers,
    });
    collected(this.registry, sources);
  }

  /** The tap: one summary and one increment per message. */
  readonly count = (direction: TapDirection, data: Buffer): void => {
    const { method, status } = summarize(data);
    const key = `${direction} ${method} ${status ?? ''}`;
    let child = this.children.get(key);
    if (child === undefined) {
      child =
        status === undefined
          ? this.requests.labels(direction, method)
          : this.responses.labels(direction, method, status);
      this.children.set(key, child);
    }
    child.inc();
  };
}

/**
 * Metrics whose value is read from their source on each scrape. The counters among them are
 * running totals kept by their source: prom-client has no set() for a counter, so collect()
 * resets it and adds the total.
 */
function collected(registry: Registry, { engine, control, dialogs, hep }: MetricsSources): void {
  const registers = [registry];
  new Gauge({
    name: 'drachtio_sip_transactions',
    help: 'Live SIP transactions by kind and state (completed ones absorbing retransmissions included)',
    labelNames: ['kind', 'state'],
    registers,
    collect() {
      // A state that emptied since the last scrape is dropped, not left at its old count.
      this.reset();
      const states = engine.transactionStates();
      for (const kind of ['server', 'client'] as const) {
        for (const [state, count] of Object.entries(states[kind])) this.set({ kind, state }, count);
      }
    },
  });
  new Counter({
    name: 'drachtio_sip_lingering_forgotten_total',
    help: 'Finished server transactions forgotten before their Timer J, I or L because sip.lingerMemory was full',
    registers,
    collect() {
      this.reset();
      this.inc(engine.lingerEvictions);
    },
  });
  new Gauge({
    name: 'drachtio_sip_dialogs',
    help: 'Live call dialogs by state and role',
    labelNames: ['state', 'role'],
    registers,
    collect() {
      for (const state of ['early', 'confirmed'] as const) {
        for (const role of ['uac', 'uas'] as const)
          this.set({ state, role }, dialogs.count(state, role));
      }
    },
  });
  new Counter({
    name: 'drachtio_calls_total',
    help: 'Calls set up (dialogs confirmed); rate() of it is calls per second',
    registers,
    collect() {
      this.reset();
      this.inc(dialogs.confirmedTotal);
    },
  });
  new Gauge({
    name: 'drachtio_app_connections',
    help: 'Application connections on the admin port',
    registers,
    collect() {
      this.set(control.stats.connections);
    },
  });
  new Counter({
    name: 'drachtio_wire_frames_total',
    help: 'Wire frames exchanged with applications',
    labelNames: ['direction'],
    registers,
    collect() {
      this.reset();
      this.inc({ direction: 'in' }, control.counters.framesIn);
      this.inc({ direction: 'out' }, control.counters.framesOut);
    },
  });
  new Counter({
    name: 'drachtio_limits_hit_total',
    help: 'How often a bound on application connections or an abuse limit on SIP traffic was hit',
    labelNames: ['limit'],
    registers,
    collect() {
      this.reset();
      for (const limit of CONTROL_LIMITS) this.inc({ limit }, control.counters.limits[limit]);
      for (const limit of SIP_LIMITS) this.inc({ limit }, engine.limitCounters.limits[limit]);
    },
  });
  const ports = udpPorts(engine.contacts);
  new Counter({
    name: 'drachtio_udp_drops_total',
    help: 'Datagrams the kernel dropped on the SIP UDP sockets (receive buffer full; Linux)',
    registers,
    collect() {
      const stats = udpSocketStats(ports);
      this.reset();
      if (stats !== undefined) this.inc(stats.drops);
    },
  });
  new Counter({
    name: 'drachtio_overload_refused_total',
    help: 'New requests refused with 503 by overload control, by reason (invite, other, retransmission of a refused one)',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      const { overload } = engine;
      for (const reason of REFUSAL_REASONS) this.inc({ reason }, overload?.refused[reason] ?? 0);
    },
  });
  new Gauge({
    name: 'drachtio_overload_refused_ratio',
    help: 'Fraction of new INVITEs overload control refuses now (0 to 1)',
    registers,
    collect() {
      this.set(engine.overload?.fraction ?? 0);
    },
  });
  new Gauge({
    name: 'drachtio_overload_queue_delay_seconds',
    help: 'Estimated wait of a datagram in the SIP UDP receive queues (Linux), the signal of overload control',
    registers,
    collect() {
      this.set((engine.overload?.delay ?? 0) / 1000);
    },
  });
  new Counter({
    name: 'drachtio_hep_packets_total',
    help: 'HEP packets sent to Homer, and dropped (queue full, too large, send error)',
    labelNames: ['result'],
    registers,
    collect() {
      this.reset();
      this.inc({ result: 'sent' }, hep?.sent ?? 0);
      this.inc({ result: 'dropped' }, hep?.dropped ?? 0);
    },
  });
}
