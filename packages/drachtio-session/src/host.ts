/**
 * What the session middleware needs from drachtio's application, request and response — the
 * core's extension points, written as the smallest structural types so that this package reads
 * on its own and its logic can be unit tested without a server.
 */
import type { Session } from './session';

export interface HostApp {
  addHook(name: 'onDialog', hook: (notice: DialogStateNotice) => void): unknown;
  addHook(name: 'onB2bua', hook: (legs: B2buaLegs) => void): unknown;
  emit(event: 'error', error: Error): boolean;
  listenerCount(event: 'error'): number;
}

export interface HostRequest {
  readonly app: HostApp;
  readonly method: string;
  readonly callId: string;
  /** Set for a request inside a dialog. */
  readonly dialogId?: string;
  /** false once the caller canceled this INVITE. */
  readonly active?: boolean;
  /** An INVITE emits 'cancel' when the caller cancels it (the server already answered 487). */
  once?(event: 'cancel', listener: () => void): unknown;
  session?: Session;
}

export interface HostResponse {
  /** Emitted once the final response is on the wire (`dialogId` already known then). */
  once(event: 'finish', listener: () => void): unknown;
  send(status: number): unknown;
  readonly headersSent: boolean;
  readonly finished: boolean;
  readonly statusCode?: number;
  /** Set when the final response created a dialog. */
  readonly dialogId?: string;
}

/** The wire's dialog notice, as the core hands it to its onDialog hooks. */
export interface DialogStateNotice {
  dialogId: string;
  event: 'early' | 'confirmed' | 'terminated';
  callId: string;
}

/** The two legs the core links when a handler pipes a UAC request into its response. */
export interface B2buaLegs {
  uas: { readonly session?: Session };
  uac: { readonly callId?: string; once(event: 'sent', listener: () => void): unknown };
}
