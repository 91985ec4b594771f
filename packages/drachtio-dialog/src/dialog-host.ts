/**
 * What a dialog needs from the app that owns it: a way to send a request inside the dialog.
 * The drachtio core's `app.request({method, dialogId, headers, body})` is exactly this.
 */
import type { IncomingResponse } from 'drachtio';

export type HeaderValue = string | number | readonly string[];
export type HeaderMap = Record<string, HeaderValue>;

export interface DialogRequestOptions {
  headers?: HeaderMap;
  body?: string;
}

/** The final response to a request sent inside a dialog. */
export type DialogResponse = IncomingResponse;

export interface DialogHost {
  request(
    options: { method: string; dialogId: string } & DialogRequestOptions,
  ): PromiseLike<DialogResponse>;
}
