/**
 * The B2BUA side of an app's dialogs: which INVITE the app piped into which (the core's onB2bua
 * hook), and the rule that the two legs end together, kept in the core's dialog links so that the
 * end of either leg reaches the other however it comes.
 */
import { internalsOf, type Application, type ClientRequest, type Request } from 'drachtio';
import type { SipDialog } from './sip-dialog';

export class B2buaLegs {
  private readonly callers = new WeakMap<ClientRequest, Request>();
  private readonly callees = new WeakMap<Request, ClientRequest>();

  constructor(
    private readonly app: Application,
    /** A dialog of this app that is still up, by id. */
    private readonly liveDialog: (dialogId: string) => SipDialog | undefined,
    private readonly report: (err: unknown, context: string) => void,
  ) {
    app.addHook('onB2bua', ({ uas, uac }) => {
      this.callers.set(uac, uas);
      this.callees.set(uas, uac);
    });
  }

  /** The INVITE this app answers that `uac` was piped from. */
  callerOf(uac: ClientRequest): Request | undefined {
    return this.callers.get(uac);
  }

  /** The INVITE this app sent on for `uas`. */
  calleeOf(uas: Request): ClientRequest | undefined {
    return this.callees.get(uas);
  }

  /**
   * Join the two legs. One may have ended before the other was answered (the app hung up the
   * callee the moment it answered, say): then the other goes too.
   */
  join(a: SipDialog | undefined, b: SipDialog | undefined): void {
    if (!a || !b) return;
    a.peerId = b.id;
    b.peerId = a.id;
    const [gone, alive] = a.state === 'terminated' ? [a, b] : [b, a];
    if (gone.state !== 'terminated' || alive.state === 'terminated') return;
    alive
      .terminate()
      .catch((err: unknown) => this.report(err, `ending ${alive.id}, the other leg of ${gone.id}`));
  }

  /** After a failover: the link lived in the process that died, so this process's core is told of it. */
  relink(a: SipDialog, b: SipDialog): void {
    internalsOf(this.app).links.link(a.id, b.id);
  }

  /**
   * A leg ended: end the other one too, unless the core already did (it does for legs it piped
   * itself, and takes the link out as it does, so the peer gets exactly one BYE). After a
   * failover the link was restored by `relink`, possibly after the core looked.
   */
  ended(dialog: SipDialog): void {
    const peerId = internalsOf(this.app).links.release(dialog.id);
    if (peerId === undefined) return;
    const peer = this.liveDialog(peerId);
    const hangUp = peer
      ? peer.terminate()
      : this.app.request({ method: 'BYE', dialogId: peerId }).then(() => undefined);
    hangUp.catch((err: unknown) =>
      this.report(err, `ending ${peerId}, the other leg of ${dialog.id}`),
    );
  }
}
