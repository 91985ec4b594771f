/**
 * A SIP dialog with the media server that carries no media, only commands: conferences are
 * created and managed over it, and their events come back on it.
 */
import { createconference, type ConferenceOptions } from '../builder/commands';
import { optionsAndCallback, settle, type Callback } from './callback';
import { Conference } from './conference';
import { MediaServerChannel, type ChannelOwner } from './media-server-channel';

export interface ConferenceOwner extends ChannelOwner {
  registerConference(conference: Conference): void;
}

let conferenceSequence = 0;

export class ControlChannel extends MediaServerChannel {
  constructor(
    protected override readonly owner: ConferenceOwner,
    id: string,
    dialogId: string,
  ) {
    super(owner, id, dialogId);
  }

  /** `<createconference>`; resolves with the Conference once the media server created it. */
  makeConference(
    options?: ConferenceOptions | Callback<Conference>,
    callback?: Callback<Conference>,
  ): Promise<Conference> {
    const [opts, cb] = optionsAndCallback(options, callback);
    const done = (async () => {
      const name = opts.name ?? `conf-${process.pid}-${++conferenceSequence}`;
      const result = await this.execute(createconference({ ...opts, name }));
      const conference = new Conference(result.confId ?? `conf:${name}`, this);
      this.owner.registerConference(conference);
      return conference;
    })();
    return settle(done, cb);
  }

  protected defaultTarget(): undefined {
    return undefined;
  }
}
