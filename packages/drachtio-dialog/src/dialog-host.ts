/**
 * What a dialog needs from the app that owns it: a way to send a request inside the dialog.
 * The drachtio core's `app.request({method, dialogId, headers, body})` is exactly this.
 */
export type HeaderValue = string | number | readonly string[];
export type HeaderMap = Record<string, HeaderValue>;

export interface DialogRequestOptions {
  headers?: HeaderMap;
  body?: string;
}

/** The final response to a request sent inside a dialog (the core's IncomingResponse). */
export interface DialogResponse {
  status: number;
  reason: string;
  body: string;
}

export interface DialogHost {
  request(options: { method: string; dialogId: string } & DialogRequestOptions): PromiseLike<DialogResponse>;
}
