/**
 * Test helpers: an Engine on ephemeral ports with short timers, and a stand-in for the control
 * plane that answers requests the way a test tells it to.
 */
import { join } from 'node:path';
import type { DialogNotice, RespondData } from 'drachtio-protocol';
import { Engine, type EngineOptions } from '../../src/engine';
import type { EngineCancel, EngineRequest } from '../../src/engine-api';
import { FAST_TIMERS, SDP } from 'drachtio-test-kit';

export { FAST_TIMERS, SDP };

export function scenario(name: string): string {
  return join(__dirname, '..', 'scenarios', `${name}.xml`);
}

export async function startEngine(options: EngineOptions = {}): Promise<Engine> {
  const engine = new Engine({
    contacts: ['sip:127.0.0.1:0;transport=udp,tcp'],
    timers: FAST_TIMERS,
    ...options,
  });
  await engine.start();
  return engine;
}

/** 'host:port' of the engine's contact for a transport, as sipp's remote argument. */
export function remoteOf(engine: Engine, transport: 'udp' | 'tcp' = 'udp'): string {
  const contact = engine.contacts.find((c) => c.endsWith(`transport=${transport}`));
  if (!contact) throw new Error(`engine has no ${transport} contact`);
  return contact.replace(/^sip:/, '').replace(/;.*$/, '');
}

/** The port of the engine's UDP contact. */
export function udpPortOf(engine: Engine): number {
  return Number(remoteOf(engine, 'udp').split(':').pop());
}

export type Answer =
  Omit<RespondData, 'transactionId'> | Array<Omit<RespondData, 'transactionId'>> | undefined;

/**
 * Stands in for the control plane: records everything the engine reports and answers each
 * request with what `answer` returns (several responses in order, or none).
 */
export class TestApp {
  readonly requests: EngineRequest[] = [];
  readonly dialogs: DialogNotice[] = [];
  readonly cancels: EngineCancel[] = [];
  readonly ended: string[] = [];
  readonly errors: unknown[] = [];
  answer: (request: EngineRequest) => Answer = answerOk;

  constructor(readonly engine: Engine) {
    engine.on('request', (request) => {
      this.requests.push(request);
      const responses = this.answer(request);
      if (!responses) return;
      void (async () => {
        for (const response of Array.isArray(responses) ? responses : [responses]) {
          await engine.respond({ transactionId: request.transactionId, ...response });
        }
      })().catch((error: unknown) => this.errors.push(error));
    });
    engine.on('dialog', (notice) => this.dialogs.push(notice));
    engine.on('cancel', (cancel) => this.cancels.push(cancel));
    engine.on('transaction-end', (id) => this.ended.push(id));
  }

  methods(): string[] {
    return this.requests.map((request) => request.method);
  }

  reset(answer: (request: EngineRequest) => Answer = answerOk): void {
    this.requests.length = 0;
    this.dialogs.length = 0;
    this.cancels.length = 0;
    this.ended.length = 0;
    this.errors.length = 0;
    this.answer = answer;
  }
}

/** The usual answers: 200 to everything, with SDP for INVITE. */
export function answerOk(request: EngineRequest): Answer {
  if (request.method === 'ACK' || request.method === 'PRACK') return undefined;
  if (request.method === 'INVITE') return [{ status: 180 }, { status: 200, body: SDP }];
  return { status: 200 };
}

export function waitFor<T>(predicate: () => T | undefined, timeoutMs = 10000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const value = predicate();
      if (value !== undefined && value !== false) return resolve(value);
      if (Date.now() - started > timeoutMs)
        return reject(new Error('waitFor: condition not met in time'));
      setTimeout(poll, 10);
    };
    poll();
  });
}
