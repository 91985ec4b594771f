import type { Frame, RequestNotice, RespondData } from 'drachtio-protocol';
import { parseMessage } from 'drachtio-sip';
import { SDP } from '../engine/helpers';
import { WireClient } from './wire-client';

export { SDP };

export interface Seen {
  method: string;
  callId: string;
  notice: RequestNotice;
}

/** An application: answers what `decide` says and records every request it was handed. */
export class TestApp {
  readonly seen: Seen[] = [];
  decide: (seen: Seen) => Omit<RespondData, 'transactionId'> | undefined = answerAll;
  onRequest?: (seen: Seen) => void;
  /** Runs once the request has been answered. */
  afterAnswer?: (seen: Seen) => Promise<unknown>;

  constructor(readonly wire: WireClient) {
    void this.serve();
  }

  /** Connects, authenticates and registers `verbs`: an application ready for requests. */
  static async connect(
    port: number,
    secret: string,
    verbs: string[],
    appName?: string,
  ): Promise<TestApp> {
    const wire = await WireClient.connect(port);
    const auth = await wire.authenticate(secret, appName);
    const route = await wire.call('route', { verbs });
    if (!auth.ok || !route.ok)
      throw new Error('the test application could not authenticate and register');
    return new TestApp(wire);
  }

  methods(): string[] {
    return this.seen.map((s) => s.method);
  }

  count(method: string): number {
    return this.seen.filter((s) => s.method === method).length;
  }

  private async serve(): Promise<void> {
    for (;;) {
      let frame: Frame;
      try {
        frame = await this.wire.notification('request');
      } catch {
        return; // connection closed
      }
      const sip = frame.sip ?? '';
      const seen = {
        method: sip.slice(0, sip.indexOf(' ')),
        callId: parseMessage(sip).getHeader('call-id') ?? '',
        notice: frame.envelope.data as RequestNotice,
      };
      this.seen.push(seen);
      this.onRequest?.(seen);
      const answer = this.decide(seen);
      if (answer)
        await this.wire.call('respond', { transactionId: seen.notice.transactionId, ...answer });
      await this.afterAnswer?.(seen);
    }
  }
}

export function answerAll(seen: Seen): Omit<RespondData, 'transactionId'> | undefined {
  if (seen.method === 'ACK') return undefined;
  if (seen.method === 'INVITE')
    return { status: 200, headers: { 'Content-Type': 'application/sdp' }, body: SDP };
  return { status: 200 };
}
