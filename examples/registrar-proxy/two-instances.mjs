// What run.mjs and baresip.mjs share: drachtio-server-ts on free ports and two instances of the
// registrar connected to it with one appName, as two processes would be.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createServer } = require('drachtio-server-ts');
const { createRegistrar } = require('./registrar.js');

export const say = (who, text) => console.log(`${who.padEnd(7)}| ${text}`);

/**
 * @param {(instance: number) => object} options  createRegistrar's options for instance 0 and 1
 *   (store, users, hooks); `connect` is filled in here.
 */
export async function startTwoInstances(options) {
  const server = await createServer({
    secret: 'cymru',
    contacts: ['sip:127.0.0.1:0;transport=udp,tcp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: 'warn',
  });
  const hostport = /^sip:([^;]+)/.exec(server.sipContacts[0])[1];
  say(
    'server',
    `drachtio-server-ts: SIP on ${hostport}, applications on 127.0.0.1:${server.adminAddress.port}`,
  );
  const connect = {
    host: '127.0.0.1',
    port: server.adminAddress.port,
    secret: 'cymru',
    appName: 'registrar',
  };
  const apps = [0, 1].map((instance) => createRegistrar({ ...options(instance), connect }));
  await Promise.all(
    apps.map(
      (app) => new Promise((resolve) => (app.connected ? resolve() : app.once('connect', resolve))),
    ),
  );
  return {
    hostport,
    apps,
    async close() {
      for (const app of apps) app.disconnect();
      await server.close();
    },
  };
}
