/**
 * RedisStore on a real three-master Redis Cluster started for this file from redis-server.
 */
import { Cluster } from 'ioredis';
import { EventEmitter } from 'node:events';
import { session } from 'drachtio-session';
import { RedisClusterHandle, redisCommand, startRedisCluster } from 'drachtio-test-kit';
import { RedisStore } from '../src';
import { FakeApp, FakeResponse, runRequest } from '../../drachtio-session/test/support/fake-host';

const prefix = `test:cluster:${process.pid}:`;

describe('RedisStore on a Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let store: RedisStore;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    store = new RedisStore({ cluster: cluster.nodes, prefix });
  }, 30_000);
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  it('spreads sessions over the masters and reads every one back', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `call-${i}@cluster.test`);
    await Promise.all(ids.map((id) => store.set(id, `value of ${id}`, 60)));
    expect(await Promise.all(ids.map((id) => store.get(id)))).toEqual(
      ids.map((id) => `value of ${id}`),
    );
    const owners = new Set(
      await Promise.all(
        ids.map(async (id) => {
          const slot = Number(
            (await redisCommand(cluster.nodes[0].port, 'CLUSTER', 'KEYSLOT', store.key(id))).slice(
              1,
            ),
          );
          return ownerOf(await slotsTable(), slot);
        }),
      ),
    );
    expect(owners.size).toBe(3);
    await Promise.all(ids.map((id) => store.destroy(id)));
    expect(await Promise.all(ids.map((id) => store.get(id)))).toEqual(ids.map(() => undefined));
  });

  it('puts every key of one call in one slot', async () => {
    const client = store.client as Cluster;
    const key = store.key('a}b{c@host');
    const slot = await client.cluster('KEYSLOT', key);
    expect(await client.cluster('KEYSLOT', `${key}:dialogs`)).toBe(slot);
    expect(await client.cluster('KEYSLOT', `${key}:anything`)).toBe(slot);
  });

  it('keeps one session per call across both legs of a B2BUA, for every instance of the app', async () => {
    const instanceA = { app: new FakeApp(), middleware: session({ store, ttl: 60 }) };
    const instanceB = { app: new FakeApp(), middleware: session({ store, ttl: 60 }) };
    const uac = Object.assign(new EventEmitter(), { callId: 'leg-b@cluster' });
    const { app } = instanceA;
    await runRequest(
      instanceA.middleware,
      { app, method: 'INVITE', callId: 'leg-a@cluster' },
      (req, res) => {
        req.session!.user = 'DaveH';
        app.runHook('onB2bua', { uas: req, uac });
        app.runHook('onDialog', {
          dialogId: 'dialog-b',
          event: 'confirmed',
          callId: 'leg-b@cluster',
          role: 'uac',
        });
        res.send(200);
      },
      new FakeResponse('dialog-a'),
    );

    let seen: unknown;
    const info = {
      app: instanceB.app,
      method: 'INFO',
      callId: 'leg-b@cluster',
      dialogId: 'dialog-b',
    };
    await runRequest(instanceB.middleware, info, (req, res) => {
      seen = { id: req.session!.id, user: req.session!.user };
      res.send(200);
    });
    expect(seen).toEqual({ id: 'leg-a@cluster', user: 'DaveH' });

    const bye = {
      app: instanceB.app,
      method: 'BYE',
      callId: 'leg-a@cluster',
      dialogId: 'dialog-a',
    };
    await runRequest(instanceB.middleware, bye);
    expect(await store.get('leg-a@cluster')).toContain('DaveH'); // leg B is still up
    instanceB.app.runHook('onDialog', {
      dialogId: 'dialog-b',
      event: 'terminated',
      callId: 'leg-b@cluster',
      role: 'uac',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await store.get('leg-a@cluster')).toBeUndefined();
    expect(await store.get('leg-b@cluster')).toBeUndefined();
  });

  async function slotsTable(): Promise<Array<[number, number, number]>> {
    const client = store.client as Cluster;
    const slots = await client.cluster('SLOTS');
    return slots.map(([from, to, master]): [number, number, number] => [from, to, master[1]]);
  }
});

function ownerOf(table: Array<[number, number, number]>, slot: number): number {
  const row = table.find(([from, to]) => slot >= from && slot <= to);
  if (!row) throw new Error(`slot ${slot} has no owner`);
  return row[2];
}
