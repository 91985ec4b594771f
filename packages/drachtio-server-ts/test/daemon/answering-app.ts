import type { Frame, RequestNotice } from 'drachtio-protocol';
import { WireClient } from '../control/wire-client';

const SDP = 'v=0\r\no=app 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n';

/**
 * An application on the daemon's admin port that takes every call: 200 with SDP to INVITE,
 * 200 to anything else but ACK. Counts what it saw by method.
 */
export class AnsweringApp {
  readonly seen = new Map<string, number>();

  private constructor(readonly wire: WireClient) {
    void this.serve();
  }

  static async connect(port: number, secret: string): Promise<AnsweringApp> {
    const wire = await WireClient.connect(port);
    await wire.authenticate(secret, 'ops-test');
    await wire.call('route', { verbs: ['INVITE', 'BYE', 'OPTIONS'] });
    return new AnsweringApp(wire);
  }

  count(method: string): number {
    return this.seen.get(method) ?? 0;
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
      const method = sip.slice(0, sip.indexOf(' '));
      this.seen.set(method, this.count(method) + 1);
      if (method === 'ACK') continue;
      const { transactionId } = frame.envelope.data as RequestNotice;
      const answer = method === 'INVITE' ? { status: 200, headers: { 'Content-Type': 'application/sdp' }, body: SDP } : { status: 200 };
      void this.wire.call('respond', { transactionId, ...answer }).catch(() => undefined);
    }
  }
}
