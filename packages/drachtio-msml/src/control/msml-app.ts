/**
 * `msml(app)`: the media-server side of a drachtio application. It opens SIP dialogs with
 * media servers (connections, control channels), keeps the dialogs and conferences they
 * create, and routes the media server's event INFOs to them (`app.use('info', msml.router)`).
 */
import { EventEmitter } from 'node:events';
import type {
  Application,
  IncomingResponse,
  Middleware,
  NextFunction,
  Request,
  Response,
} from 'drachtio';
import { MsmlParseError, MsmlTransportError } from '../errors';
import { parseMessage, type MsmlEvent } from '../parser/read';
import { optionsAndCallback, settle, type Callback } from './callback';
import type { Conference } from './conference';
import { Connection, type ConnectionOptions } from './connection';
import { ConnectionRequest } from './connection-request';
import { ControlChannel, type ConferenceOwner } from './control-channel';
import { shortName, type MsmlEventInfo } from './events';
import type { MediaDialog } from './media-dialog';
import { MSML_CONTENT_TYPE, type MediaServerChannel } from './media-server-channel';

export interface ControlChannelOptions {
  headers?: ConnectionOptions['headers'];
}

export interface TraceEvent {
  direction: 'sent' | 'received';
  channel?: MediaServerChannel;
  body: string;
}

const instances = new WeakMap<Application, Msml>();

export class Msml extends EventEmitter implements ConferenceOwner {
  private readonly channels = new Map<string, MediaServerChannel>();
  private readonly dialogs = new Map<string, MediaDialog>();
  private readonly conferences = new Map<string, Conference>();

  /** One instance per application: `msml(app)` twice returns the same one. */
  static for(app: Application): Msml {
    let instance = instances.get(app);
    if (!instance) {
      instance = new Msml(app);
      instances.set(app, instance);
    }
    return instance;
  }

  private constructor(readonly app: Application) {
    super();
    app.addHook('onDialog', (notice) => {
      if (notice.event === 'terminated') this.channelEnded(notice.dialogId);
    });
  }

  /**
   * Open a SIP dialog with the media server for a call's media, offering the caller's SDP.
   * `mediaServer` is `host:port` (the user part `msml` is added) or a full SIP URI.
   */
  makeConnection(
    mediaServer: string,
    options: ConnectionOptions,
    callback?: Callback<Connection>,
  ): ConnectionRequest {
    if (!options?.remote?.sdp)
      throw new TypeError('makeConnection(): options.remote.sdp is required');
    const invite = this.app.uac(mediaServerUri(mediaServer), {
      headers: {
        ...options.headers,
        'content-type': options.remote['content-type'] ?? 'application/sdp',
      },
      body: options.remote.sdp,
    });
    const connecting = this.answered(invite).then((res) => {
      const conn = new Connection(this, connectionId(res), res.dialogId as string, res.body);
      this.channels.set(conn.dialogId, conn);
      this.app.emit('msml:connection:create', { target: conn });
      return conn;
    });
    const request = new ConnectionRequest(connecting, () => invite.cancelRequest());
    settle(connecting, callback);
    return request;
  }

  /** Open a SIP dialog without media, for conferences. */
  makeControlChannel(
    mediaServer: string,
    options?: ControlChannelOptions | Callback<ControlChannel>,
    callback?: Callback<ControlChannel>,
  ): Promise<ControlChannel> {
    const [opts, cb] = optionsAndCallback(options, callback);
    const invite = this.app.uac(mediaServerUri(mediaServer), {
      headers: { ...opts.headers, 'content-type': 'application/sdp' },
      body: controlChannelSdp(this.app.hostport),
    });
    const done = this.answered(invite).then((res) => {
      const channel = new ControlChannel(this, connectionId(res), res.dialogId as string);
      this.channels.set(channel.dialogId, channel);
      this.app.emit('msml:channel:create', { target: channel });
      return channel;
    });
    return settle(done, cb);
  }

  /** `app.use('info', msml.router)`: takes the media server's event INFOs, passes on everything else. */
  readonly router: Middleware = (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'INFO' || !isMsml(req.getHeader('content-type'))) return next();
    let event: MsmlEvent;
    try {
      const message = parseMessage(req.body);
      if (message.kind !== 'event') return void res.send(400, 'Not An MSML Event');
      event = message.event;
    } catch (error) {
      if (!(error instanceof MsmlParseError)) throw error;
      return void res.send(400, 'Bad MSML');
    }
    this.trace('received', this.channels.get(req.dialogId ?? ''), req.body);
    res.send(200);
    this.route(event, req);
  };

  // -- ChannelOwner / ConferenceOwner -----------------------------------------------------------

  registerDialog(dialog: MediaDialog): void {
    this.dialogs.set(dialog.id, dialog);
  }

  forgetDialog(dialog: MediaDialog): void {
    if (this.dialogs.get(dialog.id) === dialog) this.dialogs.delete(dialog.id);
  }

  registerConference(conference: Conference): void {
    this.conferences.set(conference.id, conference);
    conference.once('destroy', () => this.conferences.delete(conference.id));
    this.app.emit('msml:conference:create', { target: conference });
  }

  trace(
    direction: 'sent' | 'received',
    channel: MediaServerChannel | undefined,
    body: string,
  ): void {
    const event: TraceEvent = { direction, body, ...(channel ? { channel } : {}) };
    this.emit('trace', event);
  }

  // -- internals --------------------------------------------------------------------------------

  private route(event: MsmlEvent, req: Request): void {
    const name = shortName(event.name);
    const session = (req as { session?: unknown }).session;
    const common = {
      name,
      data: event.data,
      event,
      req,
      ...(session === undefined ? {} : { session }),
    };
    const dialog = this.dialogs.get(event.id);
    if (dialog) {
      if (name === 'terminate') this.forgetDialog(dialog);
      const info: MsmlEventInfo<MediaDialog> = { target: dialog, ...common };
      dialog.deliver(info);
      this.app.emit(`msml:dialog:${name}`, info);
      return;
    }
    const conference = this.conferences.get(event.id);
    if (conference) {
      const info: MsmlEventInfo<Conference> = { target: conference, ...common };
      conference.deliver(info);
      this.app.emit(`msml:conference:${name}`, info);
      return;
    }
    this.app.emit('msml:event', common);
  }

  private channelEnded(dialogId: string): void {
    const channel = this.channels.get(dialogId);
    if (!channel) return;
    this.channels.delete(dialogId);
    channel.active = false;
    for (const dialog of [...this.dialogs.values()]) {
      if (dialog.channel === channel) this.forgetDialog(dialog);
    }
    // The media server drops a connection that is gone from every conference.
    for (const conference of this.conferences.values()) conference.participants.delete(channel.id);
    channel.emit('destroy');
  }

  private async answered(invite: PromiseLike<IncomingResponse>): Promise<IncomingResponse> {
    const res = await invite;
    if (res.status < 200 || res.status >= 300 || res.dialogId === undefined) {
      throw new MsmlTransportError(
        `the media server answered ${res.status} ${res.reason}`,
        res.status,
      );
    }
    return res;
  }
}

function mediaServerUri(mediaServer: string): string {
  if (typeof mediaServer !== 'string' || mediaServer === '')
    throw new TypeError('a media server address is required');
  return /^sips?:/i.test(mediaServer) ? mediaServer : `sip:msml@${mediaServer}`;
}

/** RFC 5707 names a connection after the media server's tag of the SIP dialog. */
function connectionId(res: IncomingResponse): string {
  const tag = /;\s*tag=([^;,\s>]+)/i.exec(res.getHeader('to') ?? '')?.[1];
  if (!tag) throw new MsmlTransportError('the media server answered without a To tag');
  return `conn:${tag}`;
}

function isMsml(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === MSML_CONTENT_TYPE;
}

/** An offer with no media lines: the control channel carries only INFO. */
function controlChannelSdp(hostport: string | undefined): string {
  const host = hostport?.replace(/:\d+$/, '') ?? '127.0.0.1';
  return [
    'v=0',
    `o=drachtio-msml ${Date.now()} 0 IN IP4 ${host}`,
    's=MSML control channel',
    `c=IN IP4 ${host}`,
    't=0 0',
    '',
  ].join('\r\n');
}
