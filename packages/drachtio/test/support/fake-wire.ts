import type { CommandMap, CommandName, RequestNotice } from 'drachtio-protocol';
import drachtio from '../../src/index';

/**
 * For unit tests of the application's pipeline: the wire client's commands are recorded instead
 * of sent, and requests are injected the way the server notifies them.
 */
export interface SentCommand {
  command: CommandName;
  data: CommandMap[CommandName][0];
}

export interface FakeWire {
  app: drachtio.Application;
  sent: SentCommand[];
  /** Injects a request notice; returns its transaction id. */
  deliver(raw: string, extra?: Partial<RequestNotice>): string;
  /** Statuses of the responses sent so far, in order. */
  statuses(): number[];
  /** Headers of the n-th response sent. */
  responseHeaders(index: number): Record<string, unknown>;
}

export function sipRequest(
  method: string,
  headers: Record<string, string> = {},
  body = '',
): string {
  const lines = [
    `${method} sip:1234@127.0.0.1 SIP/2.0`,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1',
    'From: "Alice" <sip:alice@example.com>;tag=abc',
    'To: <sip:1234@127.0.0.1>',
    'Call-ID: call-1',
    `CSeq: 1 ${method}`,
    'Max-Forwards: 70',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

let nextTransaction = 0;

export function fakeWire(): FakeWire {
  const app = drachtio();
  const sent: SentCommand[] = [];
  const { agent } = drachtio.internalsOf(app);
  jest.spyOn(agent, 'command').mockImplementation(((
    command: CommandName,
    data: CommandMap[CommandName][0],
  ) => {
    sent.push({ command, data });
    if (command !== 'respond') return Promise.resolve({});
    const status = (data as { status: number }).status;
    return Promise.resolve({
      raw: sipRequest('INVITE').replace(
        'INVITE sip:1234@127.0.0.1 SIP/2.0',
        `SIP/2.0 ${status} Whatever`,
      ),
    });
  }) as typeof agent.command);
  const responses = (): Array<CommandMap['respond'][0]> =>
    sent.filter((s) => s.command === 'respond').map((s) => s.data as CommandMap['respond'][0]);
  return {
    app,
    sent,
    deliver(raw, extra = {}) {
      const transactionId = `tx-${++nextTransaction}`;
      agent.emit(
        'request',
        {
          transactionId,
          source: { address: '10.0.0.1', port: 5060, transport: 'udp' },
          receivedAt: Date.now(),
          ...extra,
        },
        raw,
      );
      return transactionId;
    },
    statuses: () => responses().map((r) => r.status),
    responseHeaders: (index) => responses()[index]?.headers ?? {},
  };
}

export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
