/**
 * RFC 4028 carried out for every dialog: the 422 for intervals under our Min-SE, the
 * Session-Expires our 2xx answers with, and each dialog's clock. The refresher side sends the
 * refresh (UPDATE when the peer allows it, else a re-INVITE with our last SDP); expiry ends the
 * dialog with a BYE carrying a Reason and the 'session expired' notice.
 */
import { parseSessionExpires, type SessionExpires, type SipRequest } from 'drachtio-sip';
import type { TerminationReason } from 'drachtio-protocol';
import type { Logger } from 'pino';
import type { Dialog } from './dialog';
import { hasOptionTag, type HeaderList } from './header-list';
import type { Rejection } from './request-checks';
import {
  answerSessionInterval,
  checkSessionInterval,
  SessionTimer,
  type SessionPlan,
} from './session-timer';

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
    return checkSessionInterval(sessionExpires(request.getHeader('session-expires')), {
      minSE: this.minSE,
    });
  }

  /**
   * The plan our 2xx to `request` carries: the application's own Session-Expires, else our
   * answer to the offer, added to `headers` (with Require: timer when the UAC supports it).
   */
  answer(request: SipRequest, headers: HeaderList): SessionPlan | undefined {
    if (request.method !== 'INVITE' && request.method !== 'UPDATE') return undefined;
    const own = sessionExpires(headers.values.get('session-expires'));
    if (own) return { interval: own.delta, refresher: own.refresher ?? 'uas' };
    const offered = sessionExpires(request.getHeader('session-expires'));
    if (!offered) return undefined;
    const uacSupportsTimer = hasOptionTag(request.getHeader('supported'), 'timer');
    const plan = answerSessionInterval(offered, uacSupportsTimer);
    headers.lines.push(`Session-Expires: ${plan.interval};refresher=${plan.refresher}`);
    if (uacSupportsTimer && !hasOptionTag(headers.values.get('require'), 'timer'))
      headers.lines.push('Require: timer');
    return plan;
  }

  /**
   * After a 2xx to INVITE or UPDATE: (re)starts the dialog's clock from its Session-Expires, or
   * stops it when there is none (RFC 4028 7.2, 9: the session no longer expires).
   */
  start(dialog: Dialog, sessionExpiresValue: string | undefined, weSentRequest: boolean): void {
    const se = sessionExpires(sessionExpiresValue);
    if (!se) {
      dialog.sessionTimer?.stop();
      return;
    }
    const plan: SessionPlan = { interval: se.delta, refresher: se.refresher ?? 'uac' };
    const timer = (dialog.sessionTimer ??= new SessionTimer(
      (current) => this.refresh(dialog, current),
      () => this.expire(dialog),
    ));
    timer.start(plan, (plan.refresher === 'uac') === weSentRequest);
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

function sessionExpires(value: string | undefined): SessionExpires | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSessionExpires(value);
  } catch {
    return undefined;
  }
}
