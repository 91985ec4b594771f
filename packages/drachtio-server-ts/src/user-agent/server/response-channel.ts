/**
 * Where a server transaction's responses go: the top Via's destination (RFC 3261 18.2.2, RFC
 * 3581), over the connection the request came on when there is one. An object rather than a
 * closure: a finished non-INVITE transaction keeps its channel for 32 s (Timer J) to answer
 * retransmissions, and a closure with its context costs about twice these four fields.
 */
import type { Logger } from 'pino';
import type { Channel } from '../../transaction/transaction';
import type { Connection, Destination, SipTransport } from '../../transport/transport';

export class ResponseChannel implements Channel {
  constructor(
    readonly reliable: boolean,
    private readonly destination: Destination,
    private readonly connection: Connection | undefined,
    private readonly core: { readonly transport: SipTransport; readonly logger: Logger },
  ) {}

  send(data: Buffer): void {
    const { destination, core } = this;
    core.transport.send(data, destination, this.connection, (error) =>
      core.logger.info({ err: error, destination }, 'response not delivered'),
    );
  }
}
