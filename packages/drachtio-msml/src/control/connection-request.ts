/**
 * What `makeConnection` returns: await it for the Connection, or `pipe(res)` it to an incoming
 * INVITE (3pcc): the caller gets the media server's answer SDP, a failure is relayed as the
 * caller's final response, and once both are up a BYE on either side ends the other.
 */
import { internalsOf, type Response } from 'drachtio';
import { MsmlTransportError } from '../errors';
import { settle, type Callback } from './callback';
import type { Connection } from './connection';

export class ConnectionRequest implements PromiseLike<Connection> {
  private readonly connection: Promise<Connection>;

  constructor(
    connecting: Promise<Connection>,
    /** Stop connecting (CANCEL the INVITE to the media server). */
    private readonly cancel: () => void,
  ) {
    this.connection = connecting;
    // Piping or a callback reports failures; awaiting still rejects.
    connecting.catch(() => undefined);
  }

  then<R1 = Connection, R2 = never>(
    onFulfilled?: ((value: Connection) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.connection.then(onFulfilled, onRejected);
  }

  /** Answer the incoming INVITE behind `res` with the media server's SDP. */
  pipe(res: Response, callback?: Callback<Connection>): this {
    res.req.cancel(() => this.cancel());
    const piped = this.connection.then(
      async (conn) => {
        if (!res.req.active) {
          await conn.release();
          throw new MsmlTransportError('the caller canceled before the media server answered');
        }
        await res.send(200, { body: conn.sdp, headers: { 'content-type': 'application/sdp' } });
        if (res.dialogId !== undefined)
          internalsOf(res.app).links.link(res.dialogId, conn.dialogId);
        return conn;
      },
      async (error: Error) => {
        if (res.req.active && !res.headersSent) {
          const status =
            error instanceof MsmlTransportError && error.status && error.status >= 300
              ? error.status
              : 503;
          await res.send(status);
        }
        throw error;
      },
    );
    settle(piped, callback).catch(() => undefined);
    return this;
  }
}
