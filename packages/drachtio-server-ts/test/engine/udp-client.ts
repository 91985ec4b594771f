/** A raw UDP peer for tests that need byte-exact requests (malformed ones included). */
import { createSocket, type Socket } from 'node:dgram';
import type { Engine } from '../../src/engine';
import { startEngine } from './helpers';

export class UdpPeer {
  private readonly socket: Socket;
  readonly received: string[] = [];
  private waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('message', (data) => {
      this.received.push(data.toString());
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(host = '127.0.0.1'): Promise<UdpPeer> {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    return new UdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(text: string, port: number, host = '127.0.0.1'): void {
    this.socket.send(Buffer.from(text.replace(/\r?\n/g, '\r\n')), port, host);
  }

  /**
   * This peer's response to `request` (as received): its Via, From, Call-ID and CSeq copied, a
   * To tag added, this peer as Contact, `extra` header lines before Content-Length.
   */
  answer(request: string, status: string, extra = ''): string {
    const copy = request
      .split('\r\n')
      .filter((line) => /^(Via|From|Call-ID|CSeq):/i.test(line))
      .join('\r\n');
    const to = /^To: (.*)$/m.exec(request)?.[1]?.trim() ?? '';
    return `SIP/2.0 ${status}\r\n${copy}\r\nTo: ${to};tag=peer\r\nContact: <sip:peer@127.0.0.1:${this.port}>\r\n${extra}Content-Length: 0\r\n\r\n`;
  }

  /** Resolves with the first received message (since `from`) that matches. */
  async next(match: RegExp, from = 0, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find((message) => match.test(message));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message matching ${match} received`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

let sequence = 0;

/** A well-formed request from `port`, with overrides for single headers or the start line. */
export function requestText(
  port: number,
  options: {
    method?: string;
    uri?: string;
    version?: string;
    headers?: Record<string, string | undefined>;
    body?: string;
  } = {},
): string {
  sequence += 1;
  const method = options.method ?? 'OPTIONS';
  const headers: Record<string, string | undefined> = {
    Via: `SIP/2.0/UDP 127.0.0.1:${port};rport;branch=z9hG4bKtest${sequence}x${Date.now()}`,
    'Max-Forwards': '70',
    From: `<sip:tester@127.0.0.1:${port}>;tag=t${sequence}`,
    To: '<sip:engine@127.0.0.1>',
    'Call-ID': `call-${sequence}-${Date.now()}@test`,
    CSeq: `1 ${method}`,
    ...options.headers,
  };
  const body = options.body ?? '';
  const lines = Object.entries(headers)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}: ${value}`);
  return `${method} ${options.uri ?? 'sip:engine@127.0.0.1'} ${options.version ?? 'SIP/2.0'}\r\n${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** An engine and a raw UDP far end for the tests of one file, started before and stopped after them. */
export function engineWithPeer(started: (engine: Engine, peer: UdpPeer) => void): void {
  let engine: Engine;
  let peer: UdpPeer;
  beforeAll(async () => {
    engine = await startEngine();
    peer = await UdpPeer.open();
    started(engine, peer);
  });
  afterAll(async () => {
    await peer.close();
    await engine.stop();
  });
}

/** Every value of one header (by its name, any case) in a message as it went out. */
export function headerValues(message: string, name: string): string[] {
  return message
    .split('\r\n')
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((line) => line.slice(name.length + 1).trim());
}
