import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import {
  MessageReader,
  PROTOCOL_VERSION,
  ProtocolError,
  encodeMessage,
  type CommandMap,
  type CommandName,
  type Envelope,
  type Frame,
  type ResponseEnvelope,
} from 'drachtio-protocol';

/**
 * A minimal application written against the wire alone, the way a client in another language
 * would be: frames in and out over a real TCP connection. Server pings are answered unless told
 * otherwise; every other frame is queued for the test to inspect.
 */
export class WireClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<void>;
  answerPings = true;
  private readonly reader = new MessageReader();
  private waiters: Array<() => void> = [];
  private rid = 0;

  private constructor(private readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.once('close', () => this.wake());
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const item of this.reader.push(chunk)) {
        if (item instanceof ProtocolError) throw item;
        this.onFrame(item);
      }
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => {
        socket.off('error', reject);
        resolve(new WireClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** The same over TLS (the tests' certificates are self-signed, so they are not verified). */
  static connectTls(port: number, host = '127.0.0.1'): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connectTls({ port, host, rejectUnauthorized: false }, () => {
        socket.off('error', reject);
        resolve(new WireClient(socket));
      });
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  send(envelope: Envelope, sip?: string): void {
    this.socket.write(encodeMessage({ envelope, sip }));
  }

  sendRaw(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Sends a command and resolves with the server's reply to it: its envelope and the SIP after the JSON, if any. */
  async call<C extends CommandName>(
    command: C,
    data: CommandMap[C][0],
  ): Promise<ResponseEnvelope<C> & { sip?: string }> {
    const rid = `c${++this.rid}`;
    this.send({ type: 'request', rid, command, data } as Envelope);
    const frame = await this.next((f) => f.envelope.type === 'response' && f.envelope.rid === rid);
    return { ...(frame.envelope as ResponseEnvelope<C>), sip: frame.sip };
  }

  async authenticate(secret: string, appName?: string): Promise<ResponseEnvelope<'authenticate'>> {
    return this.call('authenticate', { secret, appName, versions: [PROTOCOL_VERSION] });
  }

  /** Takes the first queued frame matching the predicate, waiting for it if needed. */
  async next(predicate: (frame: Frame) => boolean = () => true): Promise<Frame> {
    for (;;) {
      const index = this.frames.findIndex(predicate);
      if (index !== -1) return this.frames.splice(index, 1)[0];
      if (this.socket.destroyed) throw new Error('connection closed while waiting for a frame');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The next notification of this kind. */
  notification(command: string): Promise<Frame> {
    return this.next((f) => f.envelope.type === 'notify' && f.envelope.command === command);
  }

  close(): Promise<void> {
    this.socket.end();
    this.socket.destroy();
    return this.closed;
  }

  private onFrame(frame: Frame): void {
    const { envelope } = frame;
    if (this.answerPings && envelope.type === 'request' && envelope.command === 'ping') {
      this.send({ type: 'response', rid: envelope.rid, ok: true, data: {} });
      return;
    }
    this.frames.push(frame);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}
