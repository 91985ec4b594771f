// The ES module entry: the CommonJS build's export as the default, and its members as named
// exports (Node cannot see them through `module.exports = drachtio`). Both entries share one
// module instance, so there is no dual-package hazard.
import drachtio from '../dist/index.js';

export default drachtio;
export const { Application, Request, Response, ClientRequest, IncomingResponse, ServerError, NotConnectedError, METHODS, digestAuth, internalsOf } = drachtio;

/** drachtio-session's middleware factory, loaded on first use (throws naming the package when missing). */
export function session(options) {
  return drachtio.session(options);
}

/** drachtio-dialog's middleware factory, loaded on first use (throws naming the package when missing). */
export function dialog(options) {
  return drachtio.dialog(options);
}
