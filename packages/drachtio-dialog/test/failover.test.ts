/**
 * Dialogs outlive the app instance that created them: two processes of one app (same appName)
 * share a Redis session store; the instance that answered the call is killed; the next request
 * of the call reaches the other instance, which finds the dialog in Redis and hangs it up.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { RedisStore } from 'drachtio-redis';
import { ensureRedis, startSipp } from 'drachtio-test-kit';
import { SECRET, scenario, startServer, type TestServer } from './support/harness';

interface Report {
  instance: string;
  event: string;
  [key: string]: unknown;
}

let server: TestServer;
let stopRedis: (() => Promise<void>) | undefined;
const children: ChildProcess[] = [];
const prefix = `drachtio-dialog-test:${process.pid}:${Date.now()}:`;

beforeAll(async () => {
  stopRedis = await ensureRedis();
});

afterAll(async () => {
  await stopRedis?.();
});

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server.close();
});

/** Start one instance; resolves with it and its reports once it is connected. */
function startInstance(
  name: string,
  reports: Report[],
  b2buaTarget?: string,
): Promise<ChildProcess> {
  const args = [
    String(server.adminPort),
    SECRET,
    'failover-app',
    prefix,
    name,
    ...(b2buaTarget ? [b2buaTarget] : []),
  ];
  const child = fork(join(__dirname, 'support', 'failover-app.js'), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.on('message', (message: Report) => {
      reports.push(message);
      if (message.event === 'ready') resolve(child);
      if (message.event === 'error') reject(new Error(`${name}: ${String(message.message)}`));
    });
    child.once('exit', (code) =>
      reject(new Error(`instance ${name} exited (${code}) before it was ready`)),
    );
  });
}

function waitFor(
  reports: Report[],
  match: (r: Report) => boolean,
  timeoutMs = 15_000,
): Promise<Report> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = (): void => {
      const found = reports.find(match);
      if (found) return resolve(found);
      if (Date.now() > deadline)
        return reject(new Error(`timed out; reports so far: ${JSON.stringify(reports)}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

async function untilStored(sessionId: string, text: string, timeoutMs = 5_000): Promise<void> {
  const store = new RedisStore({ host: '127.0.0.1', port: 6379, prefix });
  try {
    const deadline = Date.now() + timeoutMs;
    while (!(await store.get(sessionId))?.includes(text)) {
      if (Date.now() > deadline) throw new Error(`session ${sessionId} never held ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await store.close();
  }
}

describe('failover', () => {
  it('another instance with the same appName continues a dialog after the first dies', async () => {
    const reports: Report[] = [];
    const first = await startInstance('A', reports);
    const sipp = await startSipp({
      scenario: scenario('caller-pauses-info-waits-bye.xml'),
      remote: server.sipHostport,
      service: 'bob',
      args: ['-d', '3000'],
    });

    const created = await waitFor(reports, (r) => r.event === 'create');
    expect(created.instance).toBe('A');
    const dialog = created.dialog as { id: string; callId: string; local: { sdp: string } };
    // An instance that dies before the session is written takes the call with it: wait for the write.
    await untilStored(dialog.callId, dialog.id);
    // B is up before A dies without a goodbye (a process started only after the kill may not be
    // connected within the caller's 3 s on a busy machine); the caller's next request goes to B.
    await startInstance('B', reports);
    first.kill('SIGKILL');

    const info = await waitFor(reports, (r) => r.event === 'info');
    const ended = await waitFor(reports, (r) => r.event === 'terminate');
    expect(info).toMatchObject({ instance: 'B', dialogId: dialog.id, sessionUser: 'DaveH' });
    expect(ended).toMatchObject({
      instance: 'B',
      reason: 'normal near end release',
      sessionUser: 'DaveH',
    });
    expect(ended.dialog).toMatchObject({
      id: dialog.id,
      callId: dialog.callId,
      role: 'uas',
      state: 'terminated',
      local: { sdp: dialog.local.sdp },
    });
    expect((await sipp.done).exitCode).toBe(0);
  });

  it('after a failover, a BYE on one B2BUA leg still ends the other', async () => {
    const reports: Report[] = [];
    const callee = await startSipp({ scenario: scenario('callee-waits-for-bye.xml') });
    const first = await startInstance('A', reports, callee.uri('carol'));
    const caller = await startSipp({
      scenario: scenario('caller-pauses-hangs-up.xml'),
      remote: server.sipHostport,
      service: 'bob',
      args: ['-d', '3000'],
    });

    const legs = await Promise.all(
      ['uas', 'uac'].map((role) =>
        waitFor(
          reports,
          (r) => r.event === 'create' && (r.dialog as { role: string }).role === role,
        ),
      ),
    );
    const [uas, uac] = legs.map(
      (leg) => leg.dialog as { id: string; callId: string; peerId: string },
    );
    expect(uas.peerId).toBe(uac.id);
    // Both legs share the caller's session; wait until both are written. The survivor is up
    // before A dies (as in a real deployment): the caller hangs up 3 s after its ACK, and a
    // process started only after the kill may not be connected by then on a busy machine.
    await untilStored(uas.callId, uac.id);
    await startInstance('B', reports, callee.uri('carol'));
    first.kill('SIGKILL');

    const ends = await Promise.all(
      [uas.id, uac.id].map((id) =>
        waitFor(reports, (r) => r.event === 'terminate' && (r.dialog as { id: string }).id === id),
      ),
    );
    expect(ends.map((e) => [e.instance, e.reason])).toEqual([
      ['B', 'normal far end release'],
      ['B', 'normal near end release'],
    ]);
    expect((await caller.done).exitCode).toBe(0);
    expect((await callee.done).exitCode).toBe(0);
  });
});
