/**
 * How a stream transport gets its sockets: plain TCP, or TLS over it. Framing, pooling and
 * keepalives are the same for both (tcp-transport.ts); only the socket's making differs.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import { clientTlsOptions, serverTlsOptions, type TlsSettings } from './tls-settings';

export interface StreamSockets {
  readonly transport: 'tcp' | 'tls';
  createServer(onSocket: (socket: Socket) => void): Server;
  connect(host: string, port: number): Socket;
  /** The event after which the socket carries SIP: a failure before it is a failed send. */
  readonly readyEvent: 'connect' | 'secureConnect';
}

export const TCP_SOCKETS: StreamSockets = {
  transport: 'tcp',
  createServer: (onSocket) => createServer(onSocket),
  connect: (host, port) => connect({ host, port }),
  readyEvent: 'connect',
};

export function tlsSockets(settings: TlsSettings, logger: Logger): StreamSockets {
  const serverOptions = serverTlsOptions(settings);
  return {
    transport: 'tls',
    createServer: (onSocket) => {
      const server = createTlsServer(serverOptions, onSocket);
      // A failed handshake concerns that peer only: nothing reached SIP yet.
      server.on('tlsClientError', (error, socket) =>
        logger.debug({ err: error, remote: socket.remoteAddress }, 'TLS handshake failed'),
      );
      return server;
    },
    connect: (host, port) => tlsConnect({ host, port, ...clientTlsOptions(settings, host) }),
    readyEvent: 'secureConnect',
  };
}
