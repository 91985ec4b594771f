// `examples/registrar-proxy`: a digest-authenticated registrar and the proxy to its users.
// Bindings live in drachtio-session's MemoryStore, or in Redis with REDIS_HOST set (which is how
// several instances share them: run this file twice with the same REDIS_HOST).
'use strict';
const { MemoryStore } = require('drachtio-session');
const { createRegistrar } = require('./registrar');

function store() {
  if (!process.env.REDIS_HOST) return new MemoryStore();
  const drachtio = require('drachtio');
  const RedisStore = require('drachtio-redis')(drachtio);
  return new RedisStore({
    host: process.env.REDIS_HOST,
    port: Number(process.env.REDIS_PORT || 6379),
  });
}

module.exports = createRegistrar({
  store: store(),
  users: { alice: 'wonderland', bob: 'builder', dhorton: 'foobar' },
  connect: {
    host: process.env.DRACHTIO_HOST || 'localhost',
    port: Number(process.env.DRACHTIO_PORT || 8022),
    secret: 'cymru',
    appName: 'registrar',
  },
});
