/**
 * A media server for tests and examples: a SIP UAS on UDP that answers INVITE with SDP, takes
 * MSML in INFO, runs it on the scripted executor and sends the resulting events back by INFO.
 * Each SIP dialog it answers is an MSML connection `conn:<its tag>`.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { parseUri, type SipRequest } from 'drachtio-sip';
import { MSML_CONTENT_TYPE } from '../control/media-server-channel';
import type { MsmlNode } from '../xml/node';
import { toXml } from '../xml/serialize';
import { MsmlExecutor } from './msml-executor';
import { DEFAULT_SCRIPT, type SimulatorScript } from './script';
import { answerSdp } from './sdp';
import { UdpSipEndpoint, type Peer } from './udp-sip-endpoint';

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  address?: string;
  /** Default 0: any free port. */
  port?: number;
  /** What dialogs do; see SimulatorScript. */
  script?: Partial<SimulatorScript>;
}

/** One SIP dialog the simulator answered. */
interface SimDialog {
  connectionId: string;
  callId: string;
  localTag: string;
  /** Our To header (with our tag) as we answered; becomes From in our requests. */
  local: string;
  /** The application's From header; becomes To in our requests. */
  remote: string;
  remoteTarget: string;
  destination: Peer;
  cseq: number;
  sdp: string;
}

export interface MsmlTrace {
  direction: 'received' | 'sent';
  connectionId: string;
  body: string;
}

export interface SimulatorEvents {
  /** Every MSML body in and out, for logs and READMEs. */
  msml: [trace: MsmlTrace];
  /** Every SIP message in and out. */
  sip: [direction: 'received' | 'sent', text: string, peer: Peer];
  connect: [connectionId: string];
  disconnect: [connectionId: string];
  warning: [error: Error];
}

/** Bound on simultaneous SIP dialogs. */
const MAX_DIALOGS = 1000;
const ALLOW = 'INVITE, ACK, BYE, CANCEL, INFO, OPTIONS';

export class MediaServerSimulator extends EventEmitter<SimulatorEvents> {
  readonly script: SimulatorScript;
  readonly executor: MsmlExecutor;
  private readonly endpoint = new UdpSipEndpoint();
  private readonly dialogs = new Map<string, SimDialog>();
  private bound?: Peer;

  constructor(private readonly options: SimulatorOptions = {}) {
    super();
    this.script = { ...DEFAULT_SCRIPT, ...options.script };
    this.executor = new MsmlExecutor(this.script);
    this.endpoint.on('request', (req, peer) => this.onRequest(req, peer));
    this.endpoint.on('warning', (error) => this.emit('warning', error));
    this.endpoint.on('sip', (direction, text, peer) => this.emit('sip', direction, text, peer));
  }

  async start(): Promise<Peer> {
    this.bound = await this.endpoint.listen(
      this.options.port ?? 0,
      this.options.address ?? '127.0.0.1',
    );
    return this.bound;
  }

  async stop(): Promise<void> {
    for (const dialog of this.dialogs.values()) this.executor.detach(dialog.connectionId);
    this.dialogs.clear();
    await this.endpoint.close();
  }

  /** `host:port`, what `msml.makeConnection()` takes. */
  get hostport(): string {
    if (!this.bound) throw new Error('the simulator is not started');
    return `${this.bound.address}:${this.bound.port}`;
  }

  get connectionIds(): string[] {
    return [...this.dialogs.values()].map((d) => d.connectionId);
  }

  private onRequest(req: SipRequest, peer: Peer): void {
    try {
      this.handle(req, peer);
    } catch (error) {
      // A request we cannot make sense of (a malformed header read late) gets 400, never a crash.
      this.emit('warning', error as Error);
      if (req.method !== 'ACK') this.endpoint.reply(req, peer, 400, 'Bad Request');
    }
  }

  private handle(req: SipRequest, peer: Peer): void {
    const dialog = this.dialogOf(req);
    switch (req.method) {
      case 'INVITE':
        return dialog ? this.answer(req, peer, dialog) : this.newDialog(req, peer);
      case 'ACK':
        return;
      case 'CANCEL':
        // Every INVITE is answered at once, so there is never anything left to cancel.
        return this.endpoint.reply(req, peer, 200, 'OK');
      case 'OPTIONS':
        return this.endpoint.reply(req, peer, 200, 'OK', { headers: { allow: ALLOW } });
      case 'BYE':
        if (!dialog) return this.endpoint.reply(req, peer, 481, 'Call/Transaction Does Not Exist');
        this.endDialog(dialog);
        return this.endpoint.reply(req, peer, 200, 'OK');
      case 'INFO':
        if (!dialog) return this.endpoint.reply(req, peer, 481, 'Call/Transaction Does Not Exist');
        return this.info(req, peer, dialog);
      default:
        return this.endpoint.reply(req, peer, 405, 'Method Not Allowed', {
          headers: { allow: ALLOW },
        });
    }
  }

  private newDialog(req: SipRequest, peer: Peer): void {
    if (req.get('to').tag)
      return this.endpoint.reply(req, peer, 481, 'Call/Transaction Does Not Exist');
    if (this.dialogs.size >= MAX_DIALOGS)
      return this.endpoint.reply(req, peer, 503, 'Service Unavailable');
    const first = req.get('contact')?.[0];
    const contact = typeof first === 'object' ? first.uri : undefined;
    const localTag = randomBytes(6).toString('hex');
    const address = this.bound?.address ?? '127.0.0.1';
    const dialog: SimDialog = {
      connectionId: `conn:${localTag}`,
      callId: req.getHeader('call-id') ?? '',
      localTag,
      local: `${req.getHeader('to')};tag=${localTag}`,
      remote: req.getHeader('from') ?? '',
      remoteTarget: contact ?? req.get('from').uri,
      destination: contact ? destinationOf(contact, peer) : peer,
      cseq: 0,
      sdp: answerSdp(req.body, address, 20000 + (this.dialogs.size % 10000) * 2),
    };
    this.dialogs.set(dialogKey(dialog.callId, localTag), dialog);
    this.executor.attach({
      id: dialog.connectionId,
      sendEvent: (event) => this.sendEvent(dialog, event),
      hangUp: () => this.hangUp(dialog),
    });
    this.emit('connect', dialog.connectionId);
    this.answer(req, peer, dialog);
  }

  private answer(req: SipRequest, peer: Peer, dialog: SimDialog): void {
    const bound = this.bound as Peer;
    this.endpoint.reply(req, peer, 200, 'OK', {
      headers: {
        to: dialog.local,
        contact: `<sip:msml@${bound.address}:${bound.port}>`,
        allow: ALLOW,
        'content-type': 'application/sdp',
      },
      body: dialog.sdp,
    });
  }

  private info(req: SipRequest, peer: Peer, dialog: SimDialog): void {
    const type = req.getHeader('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== MSML_CONTENT_TYPE) {
      return this.endpoint.reply(req, peer, 415, 'Unsupported Media Type', {
        headers: { accept: MSML_CONTENT_TYPE },
      });
    }
    this.emit('msml', { direction: 'received', connectionId: dialog.connectionId, body: req.body });
    const body = toXml(this.executor.execute(req.body, dialog.connectionId));
    this.emit('msml', { direction: 'sent', connectionId: dialog.connectionId, body });
    this.endpoint.reply(req, peer, 200, 'OK', {
      headers: { 'content-type': MSML_CONTENT_TYPE },
      body,
    });
  }

  private sendEvent(dialog: SimDialog, event: MsmlNode): void {
    const body = toXml(event);
    this.emit('msml', { direction: 'sent', connectionId: dialog.connectionId, body });
    this.inDialog(dialog, 'INFO', { 'content-type': MSML_CONTENT_TYPE }, body);
  }

  /** A `<disconnect>` in a dialog: the media server ends the call. */
  private hangUp(dialog: SimDialog): void {
    if (!this.dialogs.has(dialogKey(dialog.callId, dialog.localTag))) return;
    this.endDialog(dialog);
    this.inDialog(dialog, 'BYE', {});
  }

  private inDialog(
    dialog: SimDialog,
    method: string,
    headers: Record<string, string>,
    body = '',
  ): void {
    dialog.cseq += 1;
    const sent = this.endpoint.request(
      method,
      dialog.remoteTarget,
      dialog.destination,
      {
        from: dialog.local,
        to: dialog.remote,
        'call-id': dialog.callId,
        cseq: `${dialog.cseq} ${method}`,
        'max-forwards': '70',
        ...headers,
      },
      body,
    );
    sent.then(
      (res) => {
        if (res.status >= 300)
          this.emit(
            'warning',
            new Error(`${method} to the application answered ${res.status} ${res.reason}`),
          );
      },
      (error: Error) => this.emit('warning', error),
    );
  }

  private endDialog(dialog: SimDialog): void {
    this.dialogs.delete(dialogKey(dialog.callId, dialog.localTag));
    this.executor.detach(dialog.connectionId);
    this.emit('disconnect', dialog.connectionId);
  }

  private dialogOf(req: SipRequest): SimDialog | undefined {
    const tag = req.get('to').tag;
    return tag === undefined
      ? undefined
      : this.dialogs.get(dialogKey(req.getHeader('call-id') ?? '', tag));
  }
}

function dialogKey(callId: string, localTag: string): string {
  return `${callId}|${localTag}`;
}

/** Requests go where the Contact says (the application's SIP server), else back to the sender. */
function destinationOf(uri: string, fallback: Peer): Peer {
  try {
    const url = parseUri(uri);
    return { address: url.host.replace(/^\[|\]$/g, ''), port: url.port ?? 5060 };
  } catch {
    return fallback;
  }
}
