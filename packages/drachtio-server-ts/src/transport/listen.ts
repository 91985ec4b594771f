import type { Server } from 'node:net';
import type { Logger } from 'pino';

/**
 * Starts a stream listener (TCP, TLS, HTTP for WebSocket) and resolves with the port bound. A
 * bind failure rejects (the caller may retry another port); later errors are logged only.
 */
export function listenOn(
  server: Server,
  where: { port: number; host: string; ipv6: boolean },
  logger: Logger,
  what: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(
      { port: where.port, host: where.host, ipv6Only: where.ipv6, exclusive: true },
      () => {
        server.off('error', reject);
        server.on('error', (error) => logger.error({ err: error }, `${what} listener error`));
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      },
    );
  });
}
