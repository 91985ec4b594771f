/**
 * One SIP dialog (RFC 3261 12): its identity, the state that shapes every request sent inside
 * it (route set, remote target, local CSeq) and the check on requests received in it (remote
 * CSeq). The id doubles as the lookup key, so matching an in-dialog message is one Map lookup.
 */
import type { Transport } from 'drachtio-protocol';
import { detached } from '../detached-string';
import type { Connection } from '../transport/transport';
import type { Retransmitter } from './retransmitter';
import type { SessionTimer } from './session-timer';

/** UAS: our 2xx to an INVITE, retransmitted until the ACK with its CSeq arrives. */
export interface AwaitedAck {
  cseq: number;
  inviteTransactionId: string;
  retransmitter: Retransmitter;
}

export type DialogRole = 'uac' | 'uas';
export type DialogState = 'early' | 'confirmed' | 'terminated';

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId};local-tag=${localTag};remote-tag=${remoteTag}`;
}

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
  routeSet: string[];
  localSeq: number;
  remoteSeq?: number;
  transport: Transport;
  connection?: Connection;
  /** The transaction that created the dialog (an INVITE; a SUBSCRIBE for a subscription). */
  inviteTransactionId: string;
}

export class Dialog {
  readonly id: string;
  readonly role: DialogRole;
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly localUri: string;
  readonly remoteUri: string;
  state: DialogState = 'early';
  private target: string;
  private routes: string[];
  localSeq: number;
  remoteSeq: number | undefined;
  readonly transport: Transport;
  connection: Connection | undefined;
  inviteTransactionId: string;
  /** Which notices went to the control plane, so 'terminated' is only sent for announced dialogs. */
  announced = false;
  /** The last SDP we sent, reused by session refreshes. */
  localSdp: string | undefined;
  /** The peer listed UPDATE in Allow: refreshes can use it. */
  peerAllowsUpdate = false;
  /** UAS: the 2xx waiting for its ACK. */
  awaitedAck: AwaitedAck | undefined;
  /** UAC: the ACK sent for the 2xx with this CSeq, sent again when the 2xx is retransmitted. */
  lastAck: { cseq: number; data: Buffer } | undefined;
  /** UAS (RFC 3262): reliable provisionals by RSeq, retransmitted until PRACKed. */
  readonly unacknowledgedProvisionals = new Map<number, Retransmitter>();
  /** UAS: the RSeq of the last reliable provisional sent. */
  localRSeq = Math.floor(Math.random() * 1000);
  /** UAC: the RSeq of the last reliable provisional received (RFC 3262 4). */
  remoteRSeq: number | undefined;
  sessionTimer: SessionTimer | undefined;
  /** What the dialog is for: an INVITE session, or an event subscription (RFC 6665). */
  usage: 'invite' | 'subscription' = 'invite';
  /** Subscription dialogs: ends the dialog when the subscription runs out unrefreshed. */
  subscriptionExpiry: NodeJS.Timeout | undefined;
  /** A re-INVITE without its final response yet, and which side sent it (RFC 3261 14). */
  reinvite: 'uac' | 'uas' | undefined;

  constructor(init: DialogInit) {
    // Everything kept for the call is copied off the message it came from (see detached()).
    this.callId = detached(init.callId);
    this.localTag = detached(init.localTag);
    this.remoteTag = detached(init.remoteTag);
    this.id = dialogId(this.callId, this.localTag, this.remoteTag);
    this.role = init.role;
    this.localUri = detached(init.localUri);
    this.remoteUri = detached(init.remoteUri);
    this.target = detached(init.remoteTarget);
    this.routes = init.routeSet.map(detached);
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.transport = init.transport;
    this.connection = init.connection;
    this.inviteTransactionId = init.inviteTransactionId;
  }

  /** Where requests in this dialog go (Contact of the peer), refreshed by target refresh requests. */
  get remoteTarget(): string {
    return this.target;
  }

  set remoteTarget(uri: string) {
    this.target = detached(uri);
  }

  /** Route set in the order requests carry it; a UAC takes it again from the 2xx of an early dialog. */
  get routeSet(): readonly string[] {
    return this.routes;
  }

  set routeSet(routes: readonly string[]) {
    this.routes = routes.map(detached);
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

  /** Stops every timer the dialog runs; the dialog is over. */
  close(): void {
    this.state = 'terminated';
    this.awaitedAck?.retransmitter.stop();
    this.awaitedAck = undefined;
    for (const retransmitter of this.unacknowledgedProvisionals.values()) retransmitter.stop();
    this.unacknowledgedProvisionals.clear();
    this.sessionTimer?.stop();
    clearTimeout(this.subscriptionExpiry);
  }

  /** Where in-dialog requests go first: the first route (loose routing) or the remote target. */
  get nextHop(): string {
    return this.routeSet[0] ?? this.remoteTarget;
  }
}
