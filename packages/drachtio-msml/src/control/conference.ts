/**
 * A conference on the media server, created over a control channel. Connections join and
 * leave it; dialogs can run on it (a prompt everyone hears). Events arrive as `'nomedia'`,
 * `'asn'`, ... (the event name without `msml.conf.`).
 */
import { EventEmitter } from 'node:events';
import {
  destroyconference,
  join,
  modifyconference,
  unjoin,
  type ConferenceOptions,
  type StreamOptions,
} from '../builder/commands';
import type { MsmlResult } from '../parser/read';
import type { MsmlNode } from '../xml/node';
import { optionsAndCallback, settle, type Callback } from './callback';
import type { MsmlEventInfo } from './events';
import type { MediaDialog } from './media-dialog';
import type { MediaServerChannel } from './media-server-channel';

type Party = string | { id: string };

export class Conference extends EventEmitter {
  /** false once destroyed (by the application, or by the media server: `nomedia`). */
  active = true;
  /** Connection ids joined through this object. */
  readonly participants = new Set<string>();

  constructor(
    /** `conf:<name>` */
    readonly id: string,
    readonly channel: MediaServerChannel,
  ) {
    super();
  }

  join(
    party: Party,
    options?: { streams?: StreamOptions[] } | Callback<MsmlResult>,
    callback?: Callback<MsmlResult>,
  ): Promise<MsmlResult> {
    const [opts, cb] = optionsAndCallback(options, callback);
    const id1 = idOf(party);
    const done = this.channel
      .execute(join({ id1, id2: this.id, streams: opts.streams ?? [] }))
      .then((result) => {
        this.participants.add(id1);
        return result;
      });
    return settle(done, cb);
  }

  unjoin(party: Party, callback?: Callback<MsmlResult>): Promise<MsmlResult> {
    const id1 = idOf(party);
    const done = this.channel.execute(unjoin({ id1, id2: this.id })).then((result) => {
      this.participants.delete(id1);
      return result;
    });
    return settle(done, callback);
  }

  modify(
    options: Pick<ConferenceOptions, 'audiomix' | 'videolayout'>,
    callback?: Callback<MsmlResult>,
  ): Promise<MsmlResult> {
    return settle(this.channel.execute(modifyconference({ id: this.id, ...options })), callback);
  }

  /** Start a dialog that runs on the conference (heard by every participant). */
  makeDialog(
    moml: MsmlNode | readonly MsmlNode[],
    options?: { name?: string } | Callback<MediaDialog>,
    callback?: Callback<MediaDialog>,
  ): Promise<MediaDialog> {
    const [opts, cb] = optionsAndCallback(options, callback);
    return this.channel.makeDialog(moml, { ...opts, target: this.id }, cb);
  }

  destroy(callback?: Callback<MsmlResult>): Promise<MsmlResult> {
    const done = this.channel.execute(destroyconference({ id: this.id })).then((result) => {
      this.ended();
      return result;
    });
    return settle(done, callback);
  }

  /** Called by the router for each event about this conference. */
  deliver(info: MsmlEventInfo<Conference>): void {
    if (info.name === 'nomedia') this.ended();
    this.emit(info.name, info);
  }

  private ended(): void {
    this.active = false;
    this.participants.clear();
    this.emit('destroy');
  }
}

function idOf(party: Party): string {
  return typeof party === 'string' ? party : party.id;
}
