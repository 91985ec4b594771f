/**
 * Where a server transaction's responses go: the top Via's destination (RFC 3261 18.2.2, RFC
 * 3581), over the connection the request came on when there is one. The destination is data a
 * lingering record can keep as bytes to send a non-INVITE's final again (Timer J), through
 * `sendResponse` as the channel itself would.
 */
import type { Logger } from 'pino';
import type { ServerChannel } from '../../transaction/transaction';
import type { Connection, Destination, SipTransport } from '../../transport/transport';

interface Sender {
  readonly transport: SipTransport;
  readonly logger: Logger;
}

export class ResponseChannel implements ServerChannel {
  constructor(
    readonly reliable: boolean,
    readonly destination: Destination,
    readonly connection: Connection | undefined,
    private readonly core: Sender,
  ) {}

  send(data: Buffer): void {
    sendResponse(this.core, data, this.destination, this.connection);
  }
}

/** A response goes out; one that cannot is logged, not thrown: the peer retransmits or gives up. */
export function sendResponse(
  core: Sender,
  data: Buffer,
  destination: Destination,
  connection: Connection | undefined,
): void {
  core.transport.send(data, destination, connection, (error) =>
    core.logger.info({ err: error, destination }, 'response not delivered'),
  );
}
