/**
 * A call's media on the media server: the SIP dialog the application opened with the
 * caller's SDP. Dialogs (prompts, digit collection, recording) run on it; it can join a
 * conference.
 */
import type { RequestOptions } from 'drachtio';
import { join, unjoin, type StreamOptions } from '../builder/commands';
import type { MsmlResult } from '../parser/read';
import { optionsAndCallback, settle, type Callback } from './callback';
import { MediaServerChannel, type ChannelOwner } from './media-server-channel';

export interface ConnectionOptions {
  /** The caller's session description, offered to the media server. */
  remote: { sdp: string; 'content-type'?: string };
  /** Extra headers on the INVITE to the media server. */
  headers?: RequestOptions['headers'];
}

export class Connection extends MediaServerChannel {
  constructor(
    owner: ChannelOwner,
    id: string,
    dialogId: string,
    /** The media server's answer SDP, to hand to the caller. */
    readonly sdp: string,
  ) {
    super(owner, id, dialogId);
  }

  /** Connect this connection's media with another connection or a conference. */
  join(
    other: string | { id: string },
    options?: { streams?: StreamOptions[] } | Callback<MsmlResult>,
    callback?: Callback<MsmlResult>,
  ): Promise<MsmlResult> {
    const [opts, cb] = optionsAndCallback(options, callback);
    const id2 = typeof other === 'string' ? other : other.id;
    return settle(this.execute(join({ id1: this.id, id2, streams: opts.streams ?? [] })), cb);
  }

  unjoin(other: string | { id: string }, callback?: Callback<MsmlResult>): Promise<MsmlResult> {
    const id2 = typeof other === 'string' ? other : other.id;
    return settle(this.execute(unjoin({ id1: this.id, id2 })), callback);
  }

  protected defaultTarget(): string {
    return this.id;
  }
}
