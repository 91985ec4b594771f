/**
 * The far end of the TLS and WebSocket tests: a real socket (node:tls, or the ws package) that
 * sends SIP text, collects what comes back cut into messages, and answers requests with 200.
 */
import type { Socket } from 'node:net';
import { StreamFramer } from 'drachtio-sip';
import type { WebSocket } from 'ws';
import { waitFor } from '../engine/helpers';

export class SipPeer {
  readonly messages: string[] = [];
  /** Everything received, keepalives included. */
  raw = '';
  closed = false;
  /** Answer every request received with 200 (copying Via, From, To, Call-ID, CSeq). */
  autoAnswer = true;

  private constructor(private readonly write: (text: string) => void) {}

  /** Over a TLS or TCP socket: SIP framed by Content-Length. */
  static overStream(socket: Socket): SipPeer {
    const peer = new SipPeer((text) => socket.write(text));
    const framer = new StreamFramer();
    socket.on('data', (chunk: Buffer) => {
      peer.raw += chunk.toString('latin1');
      for (const message of framer.push(chunk)) peer.receive(message.toString());
    });
    socket.on('close', () => (peer.closed = true));
    socket.on('error', () => undefined);
    return peer;
  }

  /** Over a WebSocket: one SIP message per WebSocket message (RFC 7118). */
  static overWebSocket(socket: WebSocket): SipPeer {
    const peer = new SipPeer((text) => socket.send(text));
    socket.on('message', (data: Buffer) => {
      peer.raw += data.toString('latin1');
      if (data.toString().trim() !== '') peer.receive(data.toString());
    });
    socket.on('close', () => (peer.closed = true));
    socket.on('error', () => undefined);
    return peer;
  }

  send(text: string): void {
    this.write(text);
  }

  /** The first message received that matches, waiting for it. */
  next(match: RegExp, timeoutMs = 10_000): Promise<string> {
    return waitFor(() => this.messages.find((m) => match.test(m)), timeoutMs);
  }

  private receive(message: string): void {
    this.messages.push(message);
    if (this.autoAnswer && !message.startsWith('SIP/2.0') && !message.startsWith('ACK '))
      this.write(okFor(message));
  }
}

function okFor(request: string): string {
  const copied = request
    .split('\r\n')
    .filter((line) => /^(Via|From|To|Call-ID|CSeq):/i.test(line))
    .join('\r\n');
  return `SIP/2.0 200 OK\r\n${copied}\r\nContent-Length: 0\r\n\r\n`;
}

/** A REGISTER whose Via says `transport` and whose Contact is `contact`. */
export function register(transport: string, sentBy: string, contact: string, tag = 'r1'): string {
  return [
    `REGISTER sip:example.com SIP/2.0`,
    `Via: SIP/2.0/${transport.toUpperCase()} ${sentBy};branch=z9hG4bK-${tag}-${Date.now()}`,
    'Max-Forwards: 70',
    `From: <sip:alice@example.com>;tag=${tag}`,
    '<sip:alice@example.com>'.replace(/^/, 'To: '),
    `Call-ID: ${tag}-${Date.now()}@test`,
    'CSeq: 1 REGISTER',
    `Contact: <${contact}>;expires=600`,
    'Expires: 600',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
