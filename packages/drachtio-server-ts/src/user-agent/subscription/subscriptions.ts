/**
 * The subscription usage (RFC 6665): a dialog created by a 2xx to SUBSCRIBE or by a NOTIFY that
 * beats it (4.1.2.4), kept while the subscription lasts, ended by a NOTIFY with
 * Subscription-State: terminated or when it runs out unrefreshed. Subscriptions carry no dialog
 * notices: those are about calls.
 */
import { headerKey, type SipRequest, type SipResponse } from 'drachtio-sip';
import type { Essentials } from '../../transaction/message-essentials';
import type { InboundMessage } from '../../transport/transport';
import type { ClientRequest } from '../client/client-request';
import type { UserAgentCore } from '../core';
import type { Dialog } from '../dialog/dialog';
import { notifiedDialog, uacDialog } from '../dialog/dialog-setup';
import { typedHeader } from '../headers/typed-header';

/** RFC 6665 4.2.1.1: without an Expires, an event package's default applies; one hour is common. */
export const DEFAULT_SUBSCRIPTION_SECONDS = 3600;

/** The first valid Expires among the candidates, in seconds. */
export function subscriptionSeconds(...candidates: Array<string | number | undefined>): number {
  for (const value of candidates) {
    if (typeof value === 'number') return value;
    if (value !== undefined && /^\s*\d{1,10}\s*$/.test(value)) return Number(value);
  }
  return DEFAULT_SUBSCRIPTION_SECONDS;
}

/** Whether a Subscription-State value ends the subscription. */
export function isTerminated(subscriptionState: string | undefined): boolean {
  return subscriptionState?.trim().toLowerCase().startsWith('terminated') ?? false;
}

export class Subscriptions {
  /** SUBSCRIBEs sent outside a dialog, by Call-ID and From tag, for a NOTIFY that beats their 2xx. */
  private readonly subscribing = new Map<string, ClientRequest>();

  constructor(private readonly core: UserAgentCore) {}

  /** A SUBSCRIBE of ours outside a dialog is under way. */
  sent(request: ClientRequest): void {
    this.subscribing.set(subscriptionKey(request.parts.callId, request.parts.from), request);
  }

  /** Its transaction is over: a NOTIFY can no longer create the dialog. */
  ended(request: ClientRequest): void {
    const key = subscriptionKey(request.parts.callId, request.parts.from);
    if (this.subscribing.get(key) === request) this.subscribing.delete(key);
  }

  /**
   * RFC 6665 4.1.2.4: a NOTIFY for one of our SUBSCRIBEs that arrives before its 2xx creates
   * the subscription dialog. Returns undefined when it belongs to no SUBSCRIBE of ours.
   */
  adoptNotify(notify: SipRequest, fields: Essentials, inbound: InboundMessage): Dialog | undefined {
    const key = `${fields.callId}|${fields.toTag ?? ''}`;
    const request = this.subscribing.get(key);
    if (!request || fields.fromTag === undefined) return undefined;
    this.subscribing.delete(key);
    const via = { transport: inbound.source.transport, connection: inbound.connection };
    const dialog = notifiedDialog(request.parts, notify, fields, via, request.id);
    this.core.dialogs.add(dialog);
    const state = notify.getHeader('subscription-state');
    this.keep(dialog, /expires=(\d+)/i.exec(state ?? '')?.[1], askedExpires(request));
    request.established = dialog;
    return dialog;
  }

  /** A 2xx to our SUBSCRIBE: the dialog it was sent in, the one an early NOTIFY made, or a new one. */
  confirmed(request: ClientRequest, response: SipResponse, fields: Essentials): Dialog {
    let dialog = request.dialog ?? request.established;
    if (!dialog) {
      const via = { transport: request.destination.transport, connection: request.connection };
      dialog = uacDialog(request.parts, response, fields, via, request.id);
      this.core.dialogs.add(dialog);
    }
    request.established = dialog;
    // From now on a NOTIFY finds the dialog itself; an ended subscription is not revived.
    this.ended(request);
    this.keep(dialog, typedHeader(response, 'expires'), askedExpires(request));
    return dialog;
  }

  /** Our 2xx to a SUBSCRIBE: the subscription lasts as it says, else as the SUBSCRIBE asked. */
  accepted(dialog: Dialog, granted: string | undefined, subscribe: SipRequest): void {
    this.keep(dialog, granted, typedHeader(subscribe, 'expires'));
  }

  /**
   * The subscription lasts `granted` (else `asked`) seconds from now, plus 64*T1 for the final
   * NOTIFY; it ends if no refresh comes first.
   */
  private keep(
    dialog: Dialog,
    granted: string | number | undefined,
    asked: string | number | undefined,
  ): void {
    const ms = subscriptionSeconds(granted, asked) * 1000 + 64 * this.core.timers.t1;
    dialog
      .becomeSubscription()
      .restart(ms, () => this.core.dialogs.end(dialog, 'subscription expired'));
  }
}

/** The Expires our SUBSCRIBE asked for, as the application wrote it. */
function askedExpires(request: ClientRequest): string | undefined {
  const line = request.parts.headers?.find(
    (l) => headerKey(l.slice(0, l.indexOf(':'))) === 'expires',
  );
  return line?.slice(line.indexOf(':') + 1);
}

/** A SUBSCRIBE is found again by its Call-ID and our From tag (the To tag of the NOTIFY). */
function subscriptionKey(callId: string, from: string): string {
  return `${callId}|${/;\s*tag=([^;>\s]+)/i.exec(from)?.[1] ?? ''}`;
}
