/**
 * drachtio-dialog: SIP dialogs as objects for drachtio applications.
 *
 *     app.use(drachtio.session({ store }));
 *     app.use(drachtio.dialog());
 *     app.on('sipdialog:create', (e) => e.target.request('INFO', { body: 'hello' }));
 *     app.on('sipdialog:terminate', (e) => console.log(e.reason));
 */
import { dialog } from './dialog-middleware';

export default dialog;
export { dialog };
export type { DialogOptions, DialogMiddleware } from './dialog-middleware';
export { SipDialog } from './sip-dialog';
export { IN_DIALOG_METHODS } from 'drachtio-sip';
export type {
  DialogRole,
  DialogState,
  DialogEndpoint,
  DialogTimes,
  SipDialogData,
  DialogCallback,
} from './sip-dialog';
export type { Party, PartySource } from './parties';
export type { DialogRequestOptions, DialogResponse, HeaderMap } from './dialog-host';
export { SipDialogEvent } from './dialog-event';
export type { SipDialogEventName } from './dialog-event';
export { TerminationReason } from './termination-reasons';
export type { KnownTerminationReason } from './termination-reasons';
export { DialogStateError, DialogMethodError } from './dialog-errors';
export { SESSION_KEY } from './session-dialogs';
export { isHoldOffer, mediaDirection, withMediaDirection } from './sdp-direction';
export type { MediaDirection } from './sdp-direction';
