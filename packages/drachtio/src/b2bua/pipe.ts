import type { MessageOptions } from '../headers';
import { internalsOf } from '../internals';
import type { ClientRequest } from '../uac/client-request';
import type { IncomingResponse } from '../uac/incoming-response';
import type { Response } from '../uas/response';

/** Only the session description crosses from one leg to the other; every other header is per leg. */
function relayed(from: {
  body: string;
  getHeader(name: string): string | undefined;
}): MessageOptions {
  if (!from.body) return {};
  const contentType = from.getHeader('content-type');
  return { body: from.body, ...(contentType ? { headers: { 'content-type': contentType } } : {}) };
}

/**
 * Joins an outgoing INVITE (the B leg) to the response of an incoming one (the A leg):
 * provisional and final responses go back to the caller, a CANCEL from the caller cancels
 * the B leg, and once both are answered a BYE on either side ends the other.
 */
export function pipe(uac: ClientRequest, res: Response): void {
  const uas = res.req;
  const app = uas.app;
  const { hooks, links } = internalsOf(app);
  hooks.run('onB2bua', { uas, uac });

  uas.cancel(() => uac.cancelRequest());

  uac.on('provisional', (provisional) => {
    if (provisional.status === 100 || res.headersSent || !uas.active) return;
    res.send(provisional.status, provisional.reason, relayed(provisional));
  });

  uac.on('response', (final) => {
    if (!uas.active || res.headersSent) {
      // The caller went away while the far end answered: release the far end.
      if (final.status < 300) releaseLeg(final);
      return;
    }
    if (final.status >= 300) {
      res.send(final.status, final.reason);
      uac.emit('fail', final.statusLine);
      return;
    }
    // Late offer: the B leg's 2xx carried the offer, so its ACK must carry the caller's answer.
    if (!uac.body) uas.once('ack', (ack) => final.ack(relayed(ack)));
    res.send(final.status, final.reason, relayed(final), (err) => {
      if (err) {
        releaseLeg(final);
        uac.emit('fail', { status: 500, phrase: err.message, version: 'SIP/2.0' });
        return;
      }
      if (res.dialogId !== undefined && final.dialogId !== undefined)
        links.link(res.dialogId, final.dialogId);
      uac.emit('success', final);
    });
  });

  uac.on('error', (err) => {
    if (uas.active && !res.headersSent) res.send(503, 'Service Unavailable');
    uac.emit('fail', { status: 503, phrase: err.message, version: 'SIP/2.0' });
  });

  function releaseLeg(final: IncomingResponse): void {
    if (final.dialogId === undefined) return;
    app.request({ method: 'BYE', dialogId: final.dialogId }, () => undefined);
  }
}
