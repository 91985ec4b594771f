/**
 * The SIP trace: every message in and out as one log line with both ends and the whole text,
 * like the C++ drachtio-server's "recv 512 bytes from udp/[1.2.3.4]:5060" lines. It logs at
 * info; give it a logger whose level is pinned, so the trace shows whatever the log level.
 */
import type { Logger } from 'pino';
import { hostport } from '../transport/contact';
import type { TapDirection, TapRemote } from '../transport/tap';
import type { LocalAddress } from '../transport/transport';

export function sipTrace(
  log: Logger,
): (direction: TapDirection, data: Buffer, remote: TapRemote, local: LocalAddress) => void {
  return (direction, data, remote, local) => {
    const transport = local.transport;
    const remoteEnd = `${transport}/${hostport(remote.address, remote.port)}`;
    const localEnd = hostport(local.host, local.port);
    const text =
      direction === 'in'
        ? `recv ${data.length} bytes from ${remoteEnd} at ${localEnd}`
        : `send ${data.length} bytes to ${remoteEnd} from ${localEnd}`;
    log.info(
      {
        direction,
        transport,
        remote: hostport(remote.address, remote.port),
        local: localEnd,
        message: data.toString('utf8'),
      },
      text,
    );
  };
}
