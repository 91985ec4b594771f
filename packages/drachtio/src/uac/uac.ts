import { METHODS, type Verb } from '../methods';
import type { ClientRequest, RequestCallback, RequestOptions } from './client-request';

/** `app.uac(uri, [opts], [cb])`: send an INVITE; `app.uac.<verb>(...)`: any other method. */
export type UacFunction = (
  uri: string,
  options?: RequestOptions | RequestCallback,
  callback?: RequestCallback,
) => ClientRequest;
export type Uac = UacFunction & { [V in Verb]: UacFunction };

/** Builds `app.uac` and its verbs on top of `request` (the app's `app.request`). */
export function makeUac(
  request: (options: RequestOptions, callback?: RequestCallback) => ClientRequest,
): Uac {
  const sender =
    (method: string): UacFunction =>
    (uri, options, callback) => {
      const opts = typeof options === 'function' || options === undefined ? {} : options;
      const cb = typeof options === 'function' ? options : callback;
      return request({ ...opts, method, uri }, cb);
    };
  const uac = sender('INVITE') as Uac;
  for (const verb of METHODS) uac[verb] = sender(verb.toUpperCase());
  return uac;
}
