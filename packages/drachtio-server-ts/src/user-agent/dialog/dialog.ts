/**
 * One SIP dialog (RFC 3261 12): its identity, the state that shapes every request sent inside
 * it (route set, remote target, local CSeq) and the check on requests received in it (remote
 * CSeq). State changes only through the methods below; what a usage adds (the INVITE session's
 * ACK and re-INVITE state, RFC 3262 sequence numbers, RFC 4028 clock, RFC 6665 expiry) lives in
 * that usage's object, created when the usage first needs it. The id doubles as the lookup key,
 * so matching an in-dialog message is one Map lookup.
 *
 * `toJSON()` gives the dialog as plain data and `Dialog.from()` takes it back: what a request
 * in the dialog needs survives; timers, retransmissions and connections are this process's own.
 */
import type { Transport } from 'drachtio-protocol';
import { detached } from '../../detached-string';
import type { Connection } from '../../transport/transport';
import { InviteSession } from '../invite/invite-session';
import { ProvisionalSequence } from '../reliable-provisional/provisional-sequence';
import type { SessionClock } from '../session-timer/session-clock';
import { SubscriptionExpiry } from '../subscription/subscription-expiry';

export type DialogRole = 'uac' | 'uas';
export type DialogState = 'early' | 'confirmed' | 'terminated';
/** What the dialog is for: an INVITE session, or an event subscription (RFC 6665). */
export type DialogUsage = 'invite' | 'subscription';

const LOCAL_TAG = ';local-tag=';
const REMOTE_TAG = ';remote-tag=';

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}${LOCAL_TAG}${localTag}${REMOTE_TAG}${remoteTag}`;
}

/** dialogId(...).length without building the string (checked against the wire's limit per message). */
export function dialogIdLength(callId: string, localTag: string, remoteTag: string): number {
  return callId.length + LOCAL_TAG.length + localTag.length + REMOTE_TAG.length + remoteTag.length;
}

function routeList(routes: readonly string[]): readonly string[] {
  return routes.length === 0 ? NO_ROUTES : routes.map(detached);
}

/** What a dialog is set up from (dialog-setup.ts). */
export interface DialogInit {
  role: DialogRole;
  callId: string;
  localTag: string;
  remoteTag: string;
  /** Our From (UAC) or To (UAS) value, with our tag. */
  localUri: string;
  /** Their From (UAS) or To (UAC) value, with their tag. */
  remoteUri: string;
  remoteTarget: string;
  /** Route set in the order requests carry it (reversed Record-Route for a UAC). */
  routeSet: readonly string[];
  localSeq: number;
  remoteSeq?: number;
  transport: Transport;
  /** The transaction that created the dialog (an INVITE; a SUBSCRIBE for a subscription). */
  inviteTransactionId: string;
  localSdp?: string;
  peerAllowsUpdate?: boolean;
}

/** The dialog as plain data (JSON-safe): everything but what only this process can hold. */
export interface DialogData extends DialogInit {
  state: DialogState;
  usage: DialogUsage;
  announced: boolean;
  /** RFC 3262 sequence numbers, when reliable provisionals were used. */
  rseq?: { local: number; remote: number | undefined };
}

/** A dialog made by nobody's Record-Route: most of them, so they share one list. */
const NO_ROUTES: readonly string[] = Object.freeze([]);

export class Dialog {
  /** Call-ID and both tags, in one string; the three are cut from it when asked for. */
  readonly id: string;
  readonly role: DialogRole;
  readonly localUri: string;
  readonly remoteUri: string;
  readonly transport: Transport;
  readonly inviteTransactionId: string;
  /** The stream the dialog's requests use while it is open (runtime only). */
  readonly connection: Connection | undefined;
  /** Where the local and the remote tag start in `id`. */
  private readonly localTagAt: number;
  private readonly remoteTagAt: number;
  private currentState: DialogState = 'early';
  private currentUsage: DialogUsage = 'invite';
  private target: string;
  private routes: readonly string[];
  private localSeq: number;
  private remoteSeq: number | undefined;
  private wasAnnounced = false;
  private sdp: string | undefined;
  private allowsUpdate: boolean;
  private inviteSession: InviteSession | undefined;
  private rseq: ProvisionalSequence | undefined;
  private subscriptionExpiry: SubscriptionExpiry | undefined;
  /** RFC 4028: attached by the session-timer module while the session has an interval. */
  sessionClock: SessionClock | undefined;

  constructor(init: DialogInit, connection?: Connection) {
    // Everything kept for the call is copied off the message it came from (see detached()).
    this.id = detached(dialogId(init.callId, init.localTag, init.remoteTag));
    this.localTagAt = init.callId.length + LOCAL_TAG.length;
    this.remoteTagAt = this.localTagAt + init.localTag.length + REMOTE_TAG.length;
    this.role = init.role;
    this.localUri = detached(init.localUri);
    this.remoteUri = detached(init.remoteUri);
    this.target = detached(init.remoteTarget);
    this.routes = routeList(init.routeSet);
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.transport = init.transport;
    this.connection = connection;
    this.inviteTransactionId = init.inviteTransactionId;
    this.sdp = init.localSdp;
    this.allowsUpdate = init.peerAllowsUpdate ?? false;
  }

  static from(data: DialogData, connection?: Connection): Dialog {
    const dialog = new Dialog(data, connection);
    dialog.currentState = data.state;
    dialog.currentUsage = data.usage;
    dialog.wasAnnounced = data.announced;
    if (data.rseq) dialog.rseq = new ProvisionalSequence(data.rseq.local, data.rseq.remote);
    return dialog;
  }

  toJSON(): DialogData {
    return {
      role: this.role,
      callId: this.callId,
      localTag: this.localTag,
      remoteTag: this.remoteTag,
      localUri: this.localUri,
      remoteUri: this.remoteUri,
      remoteTarget: this.target,
      routeSet: [...this.routes],
      localSeq: this.localSeq,
      remoteSeq: this.remoteSeq,
      transport: this.transport,
      inviteTransactionId: this.inviteTransactionId,
      localSdp: this.sdp,
      peerAllowsUpdate: this.allowsUpdate,
      state: this.currentState,
      usage: this.currentUsage,
      announced: this.wasAnnounced,
      rseq: this.rseq?.toJSON(),
    };
  }

  get callId(): string {
    return this.id.slice(0, this.localTagAt - LOCAL_TAG.length);
  }

  get localTag(): string {
    return this.id.slice(this.localTagAt, this.remoteTagAt - REMOTE_TAG.length);
  }

  get remoteTag(): string {
    return this.id.slice(this.remoteTagAt);
  }

  get state(): DialogState {
    return this.currentState;
  }

  get usage(): DialogUsage {
    return this.currentUsage;
  }

  /** Which notices went to the control plane, so 'terminated' is only sent for announced dialogs. */
  get announced(): boolean {
    return this.wasAnnounced;
  }

  /** Where requests in this dialog go (Contact of the peer), refreshed by target refresh requests. */
  get remoteTarget(): string {
    return this.target;
  }

  /** Route set in the order requests carry it. */
  get routeSet(): readonly string[] {
    return this.routes;
  }

  /** Where in-dialog requests go first: the first route (loose routing) or the remote target. */
  get nextHop(): string {
    return this.routes[0] ?? this.target;
  }

  /** The last SDP we sent, reused by session refreshes. */
  get localSdp(): string | undefined {
    return this.sdp;
  }

  /** The peer listed UPDATE in Allow: refreshes can use it. */
  get peerAllowsUpdate(): boolean {
    return this.allowsUpdate;
  }

  /** The INVITE usage's state: ACKs and the re-INVITE in progress. */
  get invite(): InviteSession {
    return (this.inviteSession ??= new InviteSession());
  }

  /**
   * UAS: an ACK arrived; the INVITE transaction it acknowledges, or undefined for a stray one.
   * The INVITE usage's state goes once idle: most dialogs live their whole length without it
   * again (48 bytes per held call).
   */
  ackReceived(cseq: number): string | undefined {
    const session = this.inviteSession;
    const acknowledged = session?.ackReceived(cseq);
    if (session?.idle) this.inviteSession = undefined;
    return acknowledged;
  }

  /** A final response went out: our reliable provisionals need no more retransmission. */
  finalSent(): void {
    this.rseq?.stopRetransmissions();
  }

  /** RFC 3262 sequence numbers, started (at a random RSeq) by the first reliable provisional. */
  get provisionals(): ProvisionalSequence {
    return (this.rseq ??= new ProvisionalSequence(Math.floor(Math.random() * 1000), undefined));
  }

  /** The RFC 6665 subscription this dialog carries; undefined for an INVITE session. */
  get subscription(): SubscriptionExpiry | undefined {
    return this.subscriptionExpiry;
  }

  /** The dialog's first response or NOTIFY was sent or seen: 'early', then 'confirmed'. */
  markAnnounced(): void {
    this.wasAnnounced = true;
  }

  /** A 2xx (or, for a subscription, a NOTIFY) confirmed the dialog (RFC 3261 12.1). */
  confirm(): void {
    if (this.currentState === 'early') this.currentState = 'confirmed';
  }

  /** RFC 6665 4.1.2.4: the dialog carries a subscription from now on. */
  becomeSubscription(): SubscriptionExpiry {
    this.currentUsage = 'subscription';
    this.confirm();
    return (this.subscriptionExpiry ??= new SubscriptionExpiry());
  }

  /** A target refresh request or its 2xx named a new Contact (RFC 3261 12.2). */
  refreshTarget(uri: string | undefined): void {
    if (uri !== undefined) this.target = detached(uri);
  }

  /** RFC 3261 12.1.2: a UAC takes the route set again from the 2xx of an early dialog. */
  fixRouteSet(routes: readonly string[]): void {
    this.routes = routeList(routes);
  }

  /** The peer's Allow (in a 2xx) says whether it takes UPDATE (RFC 3311), for session refreshes. */
  peerAllowed(update: boolean): void {
    this.allowsUpdate = update;
  }

  /** We sent an offer or answer: the SDP a session refresh repeats. */
  sentSdp(body: string | undefined): void {
    if (body) this.sdp = body;
  }

  /** The next CSeq for a request we send (ACK and CANCEL reuse their INVITE's instead). */
  nextLocalSeq(): number {
    this.localSeq += 1;
    return this.localSeq;
  }

  /** RFC 3261 12.2.2: a lower or equal CSeq is out of order (ACK and CANCEL excepted). */
  acceptRemoteSeq(seq: number): boolean {
    if (this.remoteSeq !== undefined && seq <= this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /** Stops every timer the dialog's usages run; the dialog is over. */
  close(): void {
    this.currentState = 'terminated';
    this.inviteSession?.stop();
    this.rseq?.stop();
    this.sessionClock?.stop();
    this.subscriptionExpiry?.stop();
  }
}
