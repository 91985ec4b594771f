/**
 * RFC 4028 carried out for every dialog, pjsip-style a module attached to the INVITE usage: the
 * 422 for intervals under our Min-SE, the Session-Expires our 2xx answers with, and each dialog's
 * clock. The refresher side sends the refresh (UPDATE when the peer allows it, else a re-INVITE
 * with our last SDP); expiry ends the dialog with a BYE carrying a Reason and the
 * 'session expired' notice.
 */
import type { TerminationReason } from 'drachtio-protocol';
import {
  parseSessionExpires,
  type SessionExpires,
  type SipMessage,
  type SipRequest,
} from 'drachtio-sip';
import type { Logger } from 'pino';
import type { Dialog } from '../dialog/dialog';
import { hasOptionTag, type HeaderList } from '../headers/header-list';
import { listsTag, typedHeader } from '../headers/typed-header';
import type { Rejection } from '../server/request-checks';
import { SessionClock } from './session-clock';
import { answerSessionInterval, checkSessionInterval, type SessionPlan } from './session-interval';

export interface SessionTimerHost {
  readonly logger: Logger;
  /** Sends an engine-originated request inside the dialog. */
  sendInDialog(dialog: Dialog, method: string, lines: string[], body?: string): void;
  endDialog(dialog: Dialog, reason: TerminationReason): void;
}

export class SessionTimers {
  constructor(
    private readonly host: SessionTimerHost,
    private readonly minSE: number,
  ) {}

  /** An incoming INVITE or UPDATE offering an interval under our Min-SE gets 422. */
  check(request: SipRequest): Rejection | undefined {
    if (request.method !== 'INVITE' && request.method !== 'UPDATE') return undefined;
    return checkSessionInterval(typedHeader(request, 'session-expires'), { minSE: this.minSE });
  }

  /**
   * The plan our 2xx to `request` carries: the application's own Session-Expires, else our
   * answer to the offer, added to `headers` (with Require: timer when the UAC supports it).
   */
  answer(request: SipRequest, headers: HeaderList): SessionPlan | undefined {
    if (request.method !== 'INVITE' && request.method !== 'UPDATE') return undefined;
    const own = parsedOrUndefined(headers.values.get('session-expires'));
    if (own) return { interval: own.delta, refresher: own.refresher ?? 'uas' };
    const offered = typedHeader(request, 'session-expires');
    if (!offered) return undefined;
    const uacSupportsTimer = listsTag(typedHeader(request, 'supported'), 'timer');
    const plan = answerSessionInterval(offered, uacSupportsTimer);
    headers.lines.push(`Session-Expires: ${plan.interval};refresher=${plan.refresher}`);
    if (uacSupportsTimer && !hasOptionTag(headers.values.get('require'), 'timer'))
      headers.lines.push('Require: timer');
    return plan;
  }

  /** UAC: a 2xx to our INVITE or UPDATE (re)starts the clock as its Session-Expires says. */
  answered(dialog: Dialog, response: SipMessage): void {
    const se = typedHeader(response, 'session-expires');
    this.start(dialog, se && { interval: se.delta, refresher: se.refresher ?? 'uac' }, true);
  }

  /**
   * After a 2xx to INVITE or UPDATE: (re)starts the dialog's clock from the negotiated plan, or
   * stops it when there is none (RFC 4028 7.2, 9: the session no longer expires).
   */
  start(dialog: Dialog, plan: SessionPlan | undefined, weSentRequest: boolean): void {
    if (!plan) {
      dialog.sessionClock?.stop();
      return;
    }
    const clock = (dialog.sessionClock ??= new SessionClock(
      (current) => this.refresh(dialog, current),
      () => this.expire(dialog),
    ));
    clock.start(plan, (plan.refresher === 'uac') === weSentRequest);
  }

  private refresh(dialog: Dialog, plan: SessionPlan): void {
    const lines = [`Session-Expires: ${plan.interval};refresher=uac`, 'Supported: timer'];
    if (dialog.peerAllowsUpdate || !dialog.localSdp)
      this.host.sendInDialog(dialog, 'UPDATE', lines);
    else this.host.sendInDialog(dialog, 'INVITE', lines, dialog.localSdp);
  }

  private expire(dialog: Dialog): void {
    this.host.logger.info({ dialogId: dialog.id }, 'session expired');
    this.host.sendInDialog(dialog, 'BYE', ['Reason: SIP;cause=408;text="Session Timer Expired"']);
    this.host.endDialog(dialog, 'session expired');
  }
}

/** The application's Session-Expires value (text it wrote), when it is a valid one. */
function parsedOrUndefined(value: string | undefined): SessionExpires | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSessionExpires(value);
  } catch {
    return undefined;
  }
}
