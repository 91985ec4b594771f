import { MemoryStore, SessionStoreError, Store } from '../src';
import { CallSessions } from '../src/call-sessions';
import { MAX_IDS_PER_CALL } from '../src/record';

function callSessions(store: Store = new MemoryStore(), timeout = 1000) {
  return new CallSessions({ store, ttl: 60, timeout, failureStatus: 503 });
}

describe('CallSessions', () => {
  it('loads a new session under the Call-ID, then what was saved', async () => {
    const sessions = callSessions();
    expect(await sessions.load('call-1')).toEqual({ id: 'call-1', data: {}, existed: false });
    await sessions.save('call-1', { user: 'DaveH' }, 'dialog-1');
    expect(await sessions.load('call-1')).toEqual({
      id: 'call-1',
      data: { user: 'DaveH' },
      existed: true,
    });
  });

  it('finds the session through any leg of the call, in another process too', async () => {
    const store = new MemoryStore();
    const a = callSessions(store);
    await a.save('leg-a', { user: 'DaveH' });
    await a.link('leg-a', 'leg-b');
    const elsewhere = callSessions(store);
    expect(await elsewhere.load('leg-b')).toEqual({
      id: 'leg-a',
      data: { user: 'DaveH' },
      existed: true,
    });
  });

  it('keeps the session while a dialog of the call lives and destroys it with its aliases after the last', async () => {
    const store = new MemoryStore();
    const sessions = callSessions(store);
    await sessions.save('leg-a', { user: 'DaveH' }, 'dialog-a');
    await sessions.link('leg-a', 'leg-b');
    await sessions.dialogStarted('leg-b', 'dialog-b');
    await sessions.dialogEnded('leg-a', 'dialog-a');
    expect((await sessions.load('leg-b')).data).toEqual({ user: 'DaveH' });
    await callSessions(store).dialogEnded('leg-b', 'dialog-b');
    expect(await store.get('leg-a')).toBeUndefined();
    expect(await store.get('leg-b')).toBeUndefined();
  });

  it('waits for the requests in flight before ending a dialog', async () => {
    const store = new MemoryStore();
    const sessions = callSessions(store);
    await sessions.save('call-1', { user: 'DaveH' }, 'dialog-1');
    sessions.inFlight.hold('call-1');
    await sessions.dialogEnded('call-1', 'dialog-1');
    expect((await sessions.load('call-1')).data).toEqual({ user: 'DaveH' });
    expect(sessions.inFlight.release('call-1')).toEqual(['dialog-1']);
  });

  it('ignores dialog notices of calls that have no session', async () => {
    const store = new MemoryStore();
    const sessions = callSessions(store);
    await sessions.dialogStarted('nobody', 'd');
    await sessions.dialogEnded('nobody', 'd');
    expect(await store.get('nobody')).toBeUndefined();
  });

  it('starts afresh when an alias outlived its session', async () => {
    const store = new MemoryStore();
    const sessions = callSessions(store);
    await sessions.link('leg-a', 'leg-b');
    await store.destroy('leg-a');
    expect(await callSessions(store).load('leg-b')).toEqual({
      id: 'leg-b',
      data: {},
      existed: false,
    });
  });

  it('turns store failures and silences into SessionStoreError with the failure status', async () => {
    const failing: Store = {
      get: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.resolve(),
      destroy: () => Promise.resolve(),
      touch: () => Promise.resolve(),
    };
    const error = await callSessions(failing)
      .load('x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({
      status: 503,
      message: 'session store get failed: connection refused',
    });

    const silent: Store = { ...failing, get: () => new Promise<undefined>(() => undefined) };
    await expect(callSessions(silent, 50).load('x')).rejects.toThrow(
      'session store get failed: session store get timed out after 50 ms',
    );

    const throwing: Store = {
      ...failing,
      get: () => {
        throw new Error('sync boom');
      },
    };
    await expect(callSessions(throwing).load('x')).rejects.toThrow(
      'session store get failed: sync boom',
    );
  });

  it('treats stored text it did not write as no session', async () => {
    const store = new MemoryStore();
    await store.set('call-1', 'not json', 60);
    expect(await callSessions(store).load('call-1')).toEqual({
      id: 'call-1',
      data: {},
      existed: false,
    });
  });
});

describe('CallSessions bounds', () => {
  it('tracks at most MAX_IDS_PER_CALL dialogs of one call', async () => {
    const store = new MemoryStore();
    const sessions = new CallSessions({ store, ttl: 60, timeout: 1000, failureStatus: 503 });
    await sessions.save('busy', { n: 1 });
    for (let i = 0; i < MAX_IDS_PER_CALL + 10; i++) await sessions.dialogStarted('busy', `d${i}`);
    const stored = JSON.parse((await store.get('busy'))!) as { dialogs: string[] };
    expect(stored.dialogs).toHaveLength(MAX_IDS_PER_CALL);
  });
});
