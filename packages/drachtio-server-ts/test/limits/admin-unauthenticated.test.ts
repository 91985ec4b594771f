/**
 * Connections to the admin port that never authenticate: past the cap the oldest are dropped,
 * so a flood (here 300 sockets, cap 20) never locks a legitimate application out.
 */
import { connect, type Socket } from 'node:net';
import { createServer, type DrachtioServer } from '../../src';
import { WireClient } from '../control/wire-client';

jest.setTimeout(60_000);
const SECRET = 'cymru';
let server: DrachtioServer;

beforeAll(async () => {
  server = await createServer({
    secret: SECRET,
    contacts: ['sip:127.0.0.1:0;transport=udp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    limits: { maxUnauthenticated: 20, maxConnections: 100, authTimeout: 2000 },
  });
});
afterAll(() => server.close());

function open(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => resolve(socket));
    socket.resume();
  });
}

test('a flood of unauthenticated connections does not keep an application out', async () => {
  const flood: Socket[] = [];
  for (let i = 0; i < 300; i++) flood.push(await open(server.adminAddress.port));
  const app = await WireClient.connect(server.adminAddress.port);
  expect((await app.authenticate(SECRET, 'legit')).ok).toBe(true);
  expect(server.control.counters.limits['max-unauthenticated']).toBeGreaterThanOrEqual(280);
  // The application, once authenticated, is not among those dropped by the flood that goes on.
  for (let i = 0; i < 50; i++) flood.push(await open(server.adminAddress.port));
  expect((await app.call('ping', {})).ok).toBe(true);
  expect(server.control.stats.connections).toBeLessThanOrEqual(21);
  for (const socket of flood) socket.destroy();
  await app.close();
});

test('the authentication deadline closes a silent connection', async () => {
  const before = server.control.counters.limits['auth-timeout'];
  const socket = await open(server.adminAddress.port);
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  expect(server.control.counters.limits['auth-timeout']).toBe(before + 1);
});
