/**
 * Subscription dialogs (RFC 6665): created by a 2xx to SUBSCRIBE or by the first NOTIFY, kept
 * while the subscription lasts, ended by a NOTIFY with Subscription-State: terminated or when
 * the subscription runs out unrefreshed. They carry no dialog notices: those are about calls.
 */
import type { Dialog } from './dialog';

/** RFC 6665 4.2.1.1: without an Expires, an event package's default applies; one hour is common. */
export const DEFAULT_SUBSCRIPTION_SECONDS = 3600;

/** The first valid Expires among the candidates (the 2xx's, then the SUBSCRIBE's), in seconds. */
export function subscriptionSeconds(...candidates: Array<string | undefined>): number {
  for (const value of candidates) {
    if (value !== undefined && /^\s*\d{1,10}\s*$/.test(value)) return Number(value);
  }
  return DEFAULT_SUBSCRIPTION_SECONDS;
}

/** Whether a Subscription-State value ends the subscription. */
export function isTerminated(subscriptionState: string | undefined): boolean {
  return subscriptionState?.trim().toLowerCase().startsWith('terminated') ?? false;
}

/**
 * Marks the dialog as a subscription that lasts `seconds` (plus `graceMs` for the final NOTIFY)
 * from now; `onExpired` ends it if no refresh comes first.
 */
export function keepSubscription(
  dialog: Dialog,
  seconds: number,
  graceMs: number,
  onExpired: () => void,
): void {
  dialog.usage = 'subscription';
  dialog.state = 'confirmed';
  clearTimeout(dialog.subscriptionExpiry);
  dialog.subscriptionExpiry = setTimeout(onExpired, seconds * 1000 + graceMs);
  dialog.subscriptionExpiry.unref?.();
}
