/**
 * A dialog running on the media server (`<dialogstart>`): the application's handle to stop it,
 * send it events, and hear what it reports. Events arrive as `'playDone'`, `'dtmfDone'`, ...
 * (the event name without `app.`), and `'terminate'` once the dialog has exited.
 */
import { EventEmitter } from 'node:events';
import { dialogend, send } from '../builder/commands';
import type { MsmlResult } from '../parser/read';
import { settle, type Callback } from './callback';
import type { MsmlEventInfo } from './events';
import type { MediaServerChannel } from './media-server-channel';

export class MediaDialog extends EventEmitter {
  /** true until the media server reported `msml.dialog.exit`. */
  active = true;

  constructor(
    /** `<target>/dialog:<name>` — the id the media server uses in its events. */
    public id: string,
    readonly name: string,
    /** The connection or conference it runs on. */
    readonly target: string,
    /** The SIP dialog its commands travel on. */
    readonly channel: MediaServerChannel,
  ) {
    super();
  }

  /** Stop the dialog (`<dialogend>`); it reports `terminate` when it has. */
  end(callback?: Callback<MsmlResult>): Promise<MsmlResult> {
    return settle(this.channel.execute(dialogend({ id: this.id })), callback);
  }

  /** Send the dialog an event (`<send>`), e.g. `terminate`. */
  send(event: string, callback?: Callback<MsmlResult>): Promise<MsmlResult> {
    return settle(this.channel.execute(send({ target: this.id, event })), callback);
  }

  /** Called by the router for each event about this dialog. */
  deliver(info: MsmlEventInfo<MediaDialog>): void {
    if (info.name === 'terminate') this.active = false;
    this.emit(info.name, info);
  }
}
