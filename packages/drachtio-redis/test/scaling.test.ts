/**
 * Horizontal scaling, end to end: two processes of one app (same appName) share a RedisStore.
 * A call is set up through instance A, which writes the session; A is killed; the caller's BYE
 * reaches instance B through drachtio-server-ts, and B reads the session A wrote.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startSipp } from 'drachtio-test-kit';
import { RedisStore } from '../src';
import { eventually, startServer, TestServer } from '../../drachtio-session/test/support/harness';

const prefix = `test:scaling:${process.pid}:`;

interface AppMessage {
  event: 'ready' | 'invite' | 'bye' | 'error';
  instance: string;
  callId?: string;
  session?: Record<string, unknown>;
  message?: string;
}

class AppProcess {
  readonly messages: AppMessage[] = [];
  private readonly waiters: Array<() => void> = [];
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: AppMessage) => {
      this.messages.push(message);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static start(server: TestServer, instance: string, verbs: string): AppProcess {
    const script = join(__dirname, 'support', 'scaling-app.js');
    const args = [String(server.adminPort), prefix, instance, verbs];
    return new AppProcess(fork(script, args, { stdio: 'inherit' }));
  }

  /** The first message of kind `event`, waiting for it if need be (up to 20 s). */
  async next(event: AppMessage['event']): Promise<AppMessage> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = this.messages.find((m) => m.event === event);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no '${event}' from the app process; it said: ${JSON.stringify(this.messages)}`,
        );
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

describe('two app processes sharing a RedisStore', () => {
  let server: TestServer;
  let redis: Redis;
  const apps: AppProcess[] = [];
  beforeAll(async () => {
    server = await startServer();
    redis = new Redis({ host: '127.0.0.1', port: 6379 });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await server.close();
  });

  it('lets instance B finish the call instance A set up, with A’s session', async () => {
    // B takes no new calls, so the INVITE surely goes to A; B is there for A's dialogs.
    const a = AppProcess.start(server, 'A', 'invite,bye');
    const b = AppProcess.start(server, 'B', 'bye');
    apps.push(a, b);
    await Promise.all([a.next('ready'), b.next('ready')]);

    // INVITE, 200, ACK, then three seconds of call before the caller's BYE.
    const sipp = await startSipp({
      scenario: 'sn:uac',
      remote: server.sipHostport,
      args: ['-d', '3000'],
      timeoutMs: 30_000,
    });
    const { callId } = await a.next('invite');
    const key = new RedisStore({ client: redis, prefix }).key(callId!);
    await eventually(async () => (await redis.get(key))?.includes('"answeredBy":"A"') ?? false);
    await a.kill();

    const bye = await b.next('bye');
    expect(bye.session).toEqual({ user: 'DaveH', answeredBy: 'A' });
    expect((await sipp.done).exitCode).toBe(0);
    expect(b.messages.filter((m) => m.event === 'error')).toEqual([]);
    await eventually(async () => (await redis.exists(key)) === 0);
  });
});
