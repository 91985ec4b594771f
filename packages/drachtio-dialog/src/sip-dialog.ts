/**
 * One SIP dialog (RFC 3261 section 12) seen from the application: who is talking to whom,
 * with which SDP, since when, and in which state. It is plain data plus behaviour, so it can
 * be stored in the session, come back as an instance in another process, and be reattached
 * to that process's app there (`attach`).
 *
 * State machine: early -> confirmed -> terminated, or early -> terminated, or straight to
 * confirmed. Terminated is final; every transition happens once.
 */
import { EventEmitter } from 'node:events';
import { IN_DIALOG_METHODS } from 'drachtio-sip';
import { DialogMethodError, DialogStateError } from './dialog-errors';
import { isHoldOffer, withMediaDirection } from './sdp-direction';
import type { DialogHost, DialogRequestOptions, DialogResponse } from './dialog-host';
import type { Party } from './parties';

export type DialogRole = 'uac' | 'uas';
export type DialogState = 'early' | 'confirmed' | 'terminated';

/** One end of the dialog. */
export interface DialogEndpoint {
  /** The address of record: the From or To URI of the dialog-creating INVITE. */
  uri: string;
  tag?: string;
  /** The Contact URI: where in-dialog requests to this end go. */
  contact?: string;
  /** The current session description of this end. */
  sdp?: string;
}

export interface DialogTimes {
  /** The dialog-creating INVITE was received or sent. */
  start: Date;
  /** The 2xx went out or came in (confirmed). */
  connect?: Date;
  end?: Date;
}

export interface SipDialogInit {
  id: string;
  role: DialogRole;
  state: Exclude<DialogState, 'terminated'>;
  callId: string;
  local: DialogEndpoint;
  remote: DialogEndpoint;
  callingParty: Party;
  calledParty: Party;
  times: DialogTimes;
}

/** The stored form (JSON-safe). */
export interface SipDialogData {
  id: string;
  role: DialogRole;
  state: DialogState;
  callId: string;
  local: DialogEndpoint;
  remote: DialogEndpoint;
  callingParty: Party;
  calledParty: Party;
  times: { start: string; connect?: string; end?: string };
  terminationReason?: string;
  /** The other leg when this dialog is one half of a B2BUA. */
  peerId?: string;
}

export type DialogCallback = (err: Error | null, res?: DialogResponse) => void;

export class SipDialog extends EventEmitter {
  readonly id: string;
  readonly role: DialogRole;
  readonly callId: string;
  readonly local: DialogEndpoint;
  readonly remote: DialogEndpoint;
  readonly callingParty: Party;
  readonly calledParty: Party;
  readonly times: DialogTimes;
  private currentState: DialogState;
  private reason: string | undefined;
  /** The other leg of a B2BUA, by dialog id. */
  peerId: string | undefined;
  // Process-local, never stored (private fields are invisible to JSON and to stores): the app
  // that sends for this dialog, and how to abandon an early dialog (CANCEL as UAC, a final
  // error response as UAS).
  #host: DialogHost | undefined;
  #abandonEarly: (() => Promise<void>) | undefined;
  #byeSent = false;

  constructor(init: SipDialogInit) {
    super();
    this.id = init.id;
    this.role = init.role;
    this.currentState = init.state;
    this.callId = init.callId;
    this.local = { ...init.local };
    this.remote = { ...init.remote };
    this.callingParty = { ...init.callingParty };
    this.calledParty = { ...init.calledParty };
    this.times = { ...init.times };
    // EventEmitter fields must not end up in the store.
    hideEmitterFields(this);
  }

  get state(): DialogState {
    return this.currentState;
  }

  /** Why the dialog ended, once it has. */
  get terminationReason(): string | undefined {
    return this.reason;
  }

  /** True while our last offer holds the far end (a=sendonly or a=inactive). */
  get onHold(): boolean {
    return this.local.sdp !== undefined && isHoldOffer(this.local.sdp);
  }

  /** True while the far end's last offer holds us (a=sendonly or a=inactive). */
  get heldByFarEnd(): boolean {
    return this.remote.sdp !== undefined && isHoldOffer(this.remote.sdp);
  }

  /** Bind the dialog to the app (and process) that sends its requests. */
  attach(host: DialogHost, abandonEarly?: () => Promise<void>): this {
    this.#host = host;
    if (abandonEarly) this.#abandonEarly = abandonEarly;
    return this;
  }

  get attached(): boolean {
    return this.#host !== undefined;
  }

  // ---- state transitions (driven by the middleware from what it sees on the wire) ----

  /** The 2xx confirmed an early dialog. Returns false when it already was. */
  confirm(
    at: Date = new Date(),
    update: { local?: Partial<DialogEndpoint>; remote?: Partial<DialogEndpoint> } = {},
  ): boolean {
    if (this.currentState !== 'early') return false;
    Object.assign(this.local, update.local);
    Object.assign(this.remote, update.remote);
    this.currentState = 'confirmed';
    this.times.connect = at;
    this.#abandonEarly = undefined;
    this.emit('confirmed');
    return true;
  }

  /** The dialog is over. Returns false (and changes nothing) when it already was. */
  end(reason: string, at: Date = new Date()): boolean {
    if (this.currentState === 'terminated') return false;
    this.currentState = 'terminated';
    this.reason = reason;
    this.times.end = at;
    this.#abandonEarly = undefined;
    this.emit('terminate', reason);
    return true;
  }

  // ---- requests the application sends inside the dialog ----

  /**
   * Send `method` inside this dialog. A re-INVITE without a body re-offers the current local
   * SDP. Resolves to the final response; with a callback, calls it instead.
   */
  request(method: string, opts?: DialogRequestOptions): Promise<DialogResponse>;
  request(method: string, opts: DialogRequestOptions | undefined, cb: DialogCallback): void;
  request(method: string, cb: DialogCallback): void;
  request(
    method: string,
    optsOrCb?: DialogRequestOptions | DialogCallback,
    cb?: DialogCallback,
  ): Promise<DialogResponse> | void {
    const callback = typeof optsOrCb === 'function' ? optsOrCb : cb;
    const opts = typeof optsOrCb === 'function' ? {} : (optsOrCb ?? {});
    const done = this.send(method, opts);
    if (!callback) return done;
    done.then(
      (res) => callback(null, res),
      (err: Error) => callback(err),
    );
  }

  /**
   * End the dialog from our side: BYE when confirmed, CANCEL (UAC) or a final error response
   * (UAS) while early. Ending an already terminated dialog does nothing.
   */
  terminate(): Promise<void>;
  terminate(cb: (err: Error | null) => void): void;
  terminate(cb?: (err: Error | null) => void): Promise<void> | void {
    const done = this.release();
    if (!cb) return done;
    done.then(
      () => cb(null),
      (err: Error) => cb(err),
    );
  }

  /** Put the far end on hold: re-INVITE with our SDP marked sendonly. */
  hold(opts: Omit<DialogRequestOptions, 'body'> = {}): Promise<DialogResponse> {
    return this.reoffer('sendonly', opts);
  }

  /** Take the far end off hold: re-INVITE with our SDP marked sendrecv. */
  unhold(opts: Omit<DialogRequestOptions, 'body'> = {}): Promise<DialogResponse> {
    return this.reoffer('sendrecv', opts);
  }

  // ---- incoming requests, delivered by the middleware ----

  /** Event name for an incoming in-dialog request: 'reinvite' for INVITE, else the method in lower case. */
  static eventFor(method: string): string {
    const upper = method.toUpperCase();
    return upper === 'INVITE' ? 'reinvite' : upper.toLowerCase();
  }

  // ---- storage ----

  toJSON(): SipDialogData {
    return {
      id: this.id,
      role: this.role,
      state: this.currentState,
      callId: this.callId,
      local: { ...this.local },
      remote: { ...this.remote },
      callingParty: { ...this.callingParty },
      calledParty: { ...this.calledParty },
      times: {
        start: this.times.start.toISOString(),
        ...(this.times.connect && { connect: this.times.connect.toISOString() }),
        ...(this.times.end && { end: this.times.end.toISOString() }),
      },
      ...(this.reason !== undefined && { terminationReason: this.reason }),
      ...(this.peerId !== undefined && { peerId: this.peerId }),
    };
  }

  /** Rebuild a stored dialog; data that is not a stored dialog raises a TypeError. */
  static fromJSON(stored: unknown): SipDialog {
    const data = asDialogData(stored);
    const dialog = new SipDialog({
      id: data.id,
      role: data.role,
      state: data.state === 'terminated' ? 'confirmed' : data.state,
      callId: data.callId,
      local: data.local,
      remote: data.remote,
      callingParty: data.callingParty,
      calledParty: data.calledParty,
      times: {
        start: new Date(data.times.start),
        ...(data.times.connect && { connect: new Date(data.times.connect) }),
      },
    });
    dialog.peerId = data.peerId;
    if (data.state === 'terminated') {
      dialog.currentState = 'terminated';
      dialog.reason = data.terminationReason;
      if (data.times.end) dialog.times.end = new Date(data.times.end);
    }
    return dialog;
  }

  // ---- internals ----

  private async send(method: string, opts: DialogRequestOptions): Promise<DialogResponse> {
    const upper = method.toUpperCase();
    if (!(IN_DIALOG_METHODS as readonly string[]).includes(upper))
      throw new DialogMethodError(upper);
    if (this.currentState === 'terminated') {
      throw new DialogStateError(
        `dialog ${this.id} is terminated (${this.reason}): cannot send ${upper}`,
      );
    }
    if (upper === 'BYE') {
      if (this.#byeSent) throw new DialogStateError(`dialog ${this.id}: BYE already sent`);
      this.#byeSent = true;
    }
    const body = opts.body ?? (upper === 'INVITE' ? this.local.sdp : undefined);
    let res: DialogResponse;
    try {
      res = await this.requireHost(upper).request({
        method: upper,
        dialogId: this.id,
        ...(opts.headers && { headers: opts.headers }),
        ...(body !== undefined && { body }),
      });
    } catch (err) {
      // A BYE that never went out (no connection, say) may be tried again.
      if (upper === 'BYE') this.#byeSent = false;
      throw err;
    }
    this.learnFrom(upper, body, res);
    return res;
  }

  /** What a final response to our request teaches us about the dialog. */
  private learnFrom(method: string, offer: string | undefined, res: DialogResponse): void {
    if (method === 'BYE') {
      // The dialog is over whatever the far end answers (RFC 3261 section 15.1.1).
      this.end('normal near end release');
      return;
    }
    const carriesOffer = method === 'INVITE' || method === 'UPDATE';
    if (carriesOffer && res.status >= 200 && res.status < 300 && offer !== undefined) {
      this.local.sdp = offer;
      if (res.body) this.remote.sdp = res.body;
      this.emit('modified');
    }
  }

  private async release(): Promise<void> {
    if (this.currentState === 'terminated' || this.#byeSent) return;
    if (this.currentState === 'early') {
      if (this.#abandonEarly) return this.#abandonEarly();
      // Only a UAC may end an early dialog with BYE (RFC 3261 section 15); a UAS must answer the INVITE.
      if (this.role === 'uas') {
        throw new DialogStateError(
          `early dialog ${this.id} can only be ended by the process that created it`,
        );
      }
    }
    await this.send('BYE', {});
  }

  private async reoffer(
    direction: 'sendonly' | 'sendrecv',
    opts: Omit<DialogRequestOptions, 'body'>,
  ): Promise<DialogResponse> {
    if (!this.local.sdp)
      throw new DialogStateError(`dialog ${this.id} has no local SDP to re-offer`);
    return this.send('INVITE', { ...opts, body: withMediaDirection(this.local.sdp, direction) });
  }

  private requireHost(method: string): DialogHost {
    if (!this.#host) {
      throw new DialogStateError(
        `dialog ${this.id} is not attached to an app: cannot send ${method} (is the dialog() middleware installed?)`,
      );
    }
    return this.#host;
  }
}

function asDialogData(stored: unknown): SipDialogData {
  const data = stored as Partial<SipDialogData> | null;
  const valid =
    typeof data === 'object' &&
    data !== null &&
    typeof data.id === 'string' &&
    (data.role === 'uac' || data.role === 'uas') &&
    (data.state === 'early' || data.state === 'confirmed' || data.state === 'terminated') &&
    typeof data.callId === 'string' &&
    typeof data.local?.uri === 'string' &&
    typeof data.remote?.uri === 'string' &&
    typeof data.callingParty?.uri === 'string' &&
    typeof data.calledParty?.uri === 'string' &&
    typeof data.times?.start === 'string';
  if (!valid)
    throw new TypeError(
      'not a stored SipDialog (id, role, state, callId, local, remote, parties and times required)',
    );
  return data as SipDialogData;
}

/** Keep EventEmitter's own fields out of JSON.stringify and the session store. */
function hideEmitterFields(emitter: EventEmitter): void {
  for (const key of Object.keys(emitter)) {
    if (key.startsWith('_')) Object.defineProperty(emitter, key, { enumerable: false });
  }
}
