import { connect, type Socket } from 'node:net';
import { runSipp } from 'drachtio-test-kit';
import type { DrachtioServer } from 'drachtio-server-ts';
import Srf from 'drachtio-srf';
import { SDP, SECRET, connectSrf, scenario, startServer } from './harness';

/** Frames as srf writes them, for what srf itself would never send. */
function rawClient(server: DrachtioServer): Promise<{ socket: Socket; next(): Promise<string> }> {
  return new Promise((resolve) => {
    const socket = connect(server.adminAddress.port, '127.0.0.1', () => resolve({ socket, next }));
    let buffer = '';
    const waiting: Array<(frame: string) => void> = [];
    const frames: string[] = [];
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let hash = buffer.indexOf('#'); hash > 0; hash = buffer.indexOf('#')) {
        const length = Number(buffer.slice(0, hash));
        if (buffer.length < hash + 1 + length) break;
        frames.push(buffer.slice(hash + 1, hash + 1 + length));
        buffer = buffer.slice(hash + 1 + length);
      }
      while (frames.length > 0 && waiting.length > 0) waiting.shift()!(frames.shift()!);
    });
    function next(): Promise<string> {
      const frame = frames.shift();
      return frame !== undefined
        ? Promise.resolve(frame)
        : new Promise((done) => waiting.push(done));
    }
  });
}

function send(socket: Socket, payload: string): void {
  socket.write(`${Buffer.byteLength(payload)}#${payload}`);
}

describe('drachtio-srf sessions against drachtio-server-ts', () => {
  let server: DrachtioServer;
  let remote: string;

  beforeEach(async () => {
    ({ server, remote } = await startServer());
  });

  afterEach(async () => {
    await server.close();
  });

  test('a wrong secret: srf reports it failed to authenticate and the server closes', async () => {
    await expect(connectSrf(server, 'not-the-secret')).rejects.toThrow(
      'failed to authenticate to server',
    );
  });

  test('an application that reconnects takes calls again', async () => {
    const first = await connectSrf(server);
    first.srf.disconnect();
    const { srf } = await connectSrf(server);
    srf.invite((req, res) => srf.createUAS(req, res, { localSdp: SDP }));
    const result = await runSipp({ scenario: scenario('uac-call'), remote });
    expect(result.exitCode).toBe(0);
    srf.disconnect();
  });

  test('srf pings are answered OK|pong; bad frames get NO/NOK replies and the connection lives on', async () => {
    const { socket, next } = await rawClient(server);
    send(socket, `m1|authenticate|${SECRET}|`);
    expect(await next()).toMatch(
      /^[\w-]+\|response\|m1\|OK\|udp\/127\.0\.0\.1:\d+,tcp\/127\.0\.0\.1:\d+\|v0\.8\.\d+/,
    );
    send(socket, 'm2|ping');
    expect(await next()).toMatch(/\|response\|m2\|OK\|pong$/);
    send(socket, 'm3|frobnicate');
    expect(await next()).toMatch(/\|response\|m3\|NO\|Unknown message type$/);
    send(socket, 'm4|sip||\r\nNOT A START LINE\r\n\r\n');
    expect(await next()).toMatch(/\|response\|m4\|NOK\|invalid start line/);
    send(socket, 'm5|sip|no-such-transaction|\r\nSIP/2.0 200 OK\r\n\r\n');
    expect(await next()).toMatch(
      /\|response\|m5\|NOK\|Response not sent due to unknown transaction$/,
    );
    send(socket, 'm6|sip||no-such-dialog\r\nBYE sip:placeholder SIP/2.0\r\n\r\n');
    expect(await next()).toMatch(
      /\|response\|m6\|NOK\|Server error: unable to find dialog for dialog id provided$/,
    );
    send(socket, 'm7|route|invite');
    expect(await next()).toMatch(/\|response\|m7\|OK$/);
    socket.destroy();
  });

  test('a JSON application still connects to the same port', async () => {
    const { socket, next } = await rawClient(server);
    send(
      socket,
      JSON.stringify({
        type: 'request',
        rid: '1',
        command: 'authenticate',
        data: { secret: SECRET, versions: [1] },
      }),
    );
    expect(JSON.parse(await next())).toMatchObject({ type: 'response', rid: '1', ok: true });
    socket.destroy();
  });

  test('srf sees no frame it does not know: a whole call carries only sip and response frames', async () => {
    const srf = new Srf();
    const types = new Set<string>();
    await new Promise<void>((resolve) => {
      srf.connect({ host: '127.0.0.1', port: server.adminAddress.port, secret: SECRET });
      srf.once('connect', () => resolve());
    });
    // srf's wire reader emits every frame it read; its agent throws on a type it does not know.
    const agent = (
      srf as unknown as {
        _app: { client: { wp: { on(e: 'msg', l: (s: Socket, m: string) => void): void } } };
      }
    )._app.client;
    agent.wp.on('msg', (_socket, message) => types.add(message.split('|')[1]));
    srf.invite((req, res) => srf.createUAS(req, res, { localSdp: SDP }));
    const result = await runSipp({ scenario: scenario('uac-call'), remote });
    expect(result.exitCode).toBe(0);
    expect([...types].sort()).toEqual(['response', 'sip']);
    srf.disconnect();
  });
});
