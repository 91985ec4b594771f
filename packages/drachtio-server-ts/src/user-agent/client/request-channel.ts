/**
 * How a client transaction reaches its peer: the transport to one destination (over a given
 * connection when there is one), retransmission off over a stream, a failed delivery logged and
 * reported. The UAC's requests and the proxy's branches send the same way.
 */
import type { Channel } from '../../transaction/transaction';
import type { Connection, Destination } from '../../transport/transport';
import { isReliable } from '../../transport/transport-kinds';
import type { UserAgentCore } from '../core';

export function requestChannel(
  core: Pick<UserAgentCore, 'transport' | 'logger'>,
  destination: Destination,
  connection: Connection | undefined,
  onFailure: () => void,
): Channel {
  const { transport, logger } = core;
  return {
    reliable: isReliable(destination.transport),
    send: (data) =>
      transport.send(data, destination, connection, (error) => {
        logger.info({ err: error, destination }, 'request not delivered');
        onFailure();
      }),
  };
}
