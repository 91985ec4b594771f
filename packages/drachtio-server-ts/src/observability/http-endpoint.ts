/**
 * The scrape port: GET /metrics for Prometheus, GET /health for load balancers and probes
 * (200 only while SIP and the admin port listen and the server is not draining). Small and
 * closed: GET only, no bodies read, short timeouts, a bounded number of connections.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

const MAX_CONNECTIONS = 32;
const TIMEOUT_MS = 10_000;

export type HealthState = 'starting' | 'ready' | 'draining';

export interface ScrapeEndpoint {
  readonly address: AddressInfo;
  /** What /health reports; 200 only when 'ready'. */
  health: HealthState;
  /** Where the metrics come from once the server is up (until then /metrics answers 503). */
  registry: Registry | undefined;
  close(): Promise<void>;
}

export function listenForScrapes(address: string, port: number): Promise<ScrapeEndpoint> {
  const endpoint: { health: HealthState; registry: Registry | undefined } = {
    health: 'starting',
    registry: undefined,
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'GET only\n');
    if (path === '/health') {
      const ready = endpoint.health === 'ready';
      return send(
        res,
        ready ? 200 : 503,
        'application/json',
        `${JSON.stringify({ status: endpoint.health })}\n`,
      );
    }
    if (path !== '/metrics')
      return send(res, 404, 'text/plain', 'not found: try /metrics or /health\n');
    const registry = endpoint.registry;
    if (!registry) return send(res, 503, 'text/plain', 'starting\n');
    registry.metrics().then(
      (text) => send(res, 200, registry.contentType, text),
      (err: Error) => send(res, 500, 'text/plain', `${err.message}\n`),
    );
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.requestTimeout = TIMEOUT_MS;
  server.headersTimeout = TIMEOUT_MS;
  server.keepAliveTimeout = TIMEOUT_MS / 2;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port }, () => {
      server.off('error', reject);
      server.unref();
      resolve(
        Object.assign(endpoint, {
          address: server.address() as AddressInfo,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              server.closeAllConnections();
            }),
        }),
      );
    });
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
