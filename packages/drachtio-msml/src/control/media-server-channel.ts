/**
 * One SIP dialog between the application and the media server. MSML requests travel inside it
 * as INFO (Content-Type application/msml+xml); the `<result>` comes back in the 200 OK.
 * A Connection (a call's media) and a ControlChannel (conferences) are both channels.
 */
import { EventEmitter } from 'node:events';
import type { Application } from 'drachtio';
import { dialogstart, document } from '../builder/commands';
import { MsmlResultError, MsmlTransportError } from '../errors';
import { parseResult, type MsmlResult } from '../parser/read';
import type { MsmlNode } from '../xml/node';
import { toXml } from '../xml/serialize';
import { settle, type Callback } from './callback';
import { MediaDialog } from './media-dialog';

export const MSML_CONTENT_TYPE = 'application/msml+xml';

/** What a channel needs from the Msml instance that made it. */
export interface ChannelOwner {
  readonly app: Application;
  /** Let the router find a dialog before its start has even been answered. */
  registerDialog(dialog: MediaDialog): void;
  forgetDialog(dialog: MediaDialog): void;
  /** For logging and tracing: every MSML body sent and received. */
  trace(direction: 'sent' | 'received', channel: MediaServerChannel, body: string): void;
}

export interface MakeDialogOptions {
  /** The dialog's name; the media server's dialog id becomes `<target>/dialog:<name>`. */
  name?: string;
  /** Where the dialog runs: `conn:<id>` or `conf:<name>`; a Connection defaults to itself. */
  target?: string;
}

let dialogSequence = 0;

export abstract class MediaServerChannel extends EventEmitter {
  /** false once the SIP dialog has ended. */
  active = true;

  constructor(
    protected readonly owner: ChannelOwner,
    /** The MSML id of this SIP dialog at the media server: `conn:<media server tag>`. */
    readonly id: string,
    /** drachtio's id of the SIP dialog, for in-dialog requests. */
    readonly dialogId: string,
  ) {
    super();
  }

  /** Send MSML commands in one INFO and resolve with the `<result>`; a non-200 result rejects (MsmlResultError). */
  async execute(...commands: MsmlNode[]): Promise<MsmlResult> {
    if (!this.active)
      throw new MsmlTransportError(`the SIP dialog ${this.id} with the media server has ended`);
    const body = toXml(document(...commands));
    this.owner.trace('sent', this, body);
    const res = await this.owner.app.request({
      method: 'INFO',
      dialogId: this.dialogId,
      headers: { 'content-type': MSML_CONTENT_TYPE },
      body,
    });
    if (res.status < 200 || res.status >= 300) {
      throw new MsmlTransportError(
        `INFO to the media server answered ${res.status} ${res.reason}`,
        res.status,
      );
    }
    this.owner.trace('received', this, res.body);
    const result = parseResult(res.body);
    if (!result.ok) throw new MsmlResultError(result);
    return result;
  }

  /**
   * Start a dialog on the media server: `moml` is the MOML primitives (or a whole
   * `<dialogstart>` element). Resolves once the media server accepted it.
   */
  makeDialog(
    moml: MsmlNode | readonly MsmlNode[],
    callback?: Callback<MediaDialog>,
  ): Promise<MediaDialog>;
  makeDialog(
    moml: MsmlNode | readonly MsmlNode[],
    options: MakeDialogOptions,
    callback?: Callback<MediaDialog>,
  ): Promise<MediaDialog>;
  makeDialog(
    moml: MsmlNode | readonly MsmlNode[],
    options?: MakeDialogOptions | Callback<MediaDialog>,
    callback?: Callback<MediaDialog>,
  ): Promise<MediaDialog> {
    const opts = typeof options === 'function' ? {} : (options ?? {});
    const cb = typeof options === 'function' ? options : callback;
    return settle(this.startDialog(moml, opts), cb);
  }

  /** End the SIP dialog (BYE); the media server releases everything on it. */
  release(callback?: Callback<void>): Promise<void> {
    const done = (async () => {
      if (!this.active) return;
      this.active = false;
      const res = await this.owner.app.request({ method: 'BYE', dialogId: this.dialogId });
      if (res.status >= 300)
        throw new MsmlTransportError(
          `BYE to the media server answered ${res.status} ${res.reason}`,
          res.status,
        );
    })();
    return settle(done, callback);
  }

  /** The target a dialog runs on when none is given. */
  protected abstract defaultTarget(): string | undefined;

  private async startDialog(
    moml: MsmlNode | readonly MsmlNode[],
    options: MakeDialogOptions,
  ): Promise<MediaDialog> {
    const given =
      !Array.isArray(moml) && (moml as MsmlNode).name === 'dialogstart'
        ? (moml as MsmlNode)
        : undefined;
    const target = options.target ?? given?.attributes.target ?? this.defaultTarget();
    if (!target)
      throw new TypeError(
        'makeDialog(): a target (conn:... or conf:...) is required on a control channel',
      );
    const name =
      options.name ?? given?.attributes.name ?? `dialog-${process.pid}-${++dialogSequence}`;
    const primitives = given ? given.children : Array.isArray(moml) ? moml : [moml as MsmlNode];
    const start = dialogstart({ ...given?.attributes, target, name }, primitives);

    const dialog = new MediaDialog(`${target}/dialog:${name}`, name, target, this);
    this.owner.registerDialog(dialog);
    try {
      const result = await this.execute(start);
      if (result.dialogId && result.dialogId !== dialog.id) {
        this.owner.forgetDialog(dialog);
        dialog.id = result.dialogId;
        this.owner.registerDialog(dialog);
      }
      this.owner.app.emit('msml:dialog:create', { target: dialog });
      return dialog;
    } catch (error) {
      this.owner.forgetDialog(dialog);
      throw error;
    }
  }
}
