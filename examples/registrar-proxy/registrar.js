// The registrar and proxy as a function, so that one process can run several instances of it
// (the two-instance test) exactly as separate processes would run one each.
'use strict';
const drachtio = require('drachtio');
const { LocationService } = require('./location');

/**
 * @param {object} options
 * @param {object} options.store     a drachtio-session Store: bindings and digest nonce-counts
 * @param {Record<string,string>} options.users  username -> password
 * @param {string} [options.realm]
 * @param {object} options.connect   app.connect() options (host, port, secret, appName)
 */
function createRegistrar({ store, users, realm = 'dracht.io', connect, onRegister, onProxy }) {
  const app = drachtio();
  const location = new LocationService(store);
  app.locals.location = location;

  // Digest (RFC 3261 22): nonces verify on any instance; nonce-counts are shared through the store.
  app.use(
    'register',
    drachtio.digestAuth(realm, (_realm, user, fn) => fn(null, users[user]), { store }),
  );

  app.register(async (req, res) => {
    const answer = await location.register(req);
    onRegister?.(req, answer);
    res.send(answer.status, answer.reason, { headers: answer.headers ?? {} });
  });

  // A request to a registered AOR goes to every binding at once (RFC 3261 16.5), record-routed so
  // that the BYE comes back through here.
  app.invite(async (req, res) => {
    const aor = LocationService.aorOf(req.uri);
    const bindings = aor ? await location.lookup(aor) : [];
    if (bindings.length === 0) return res.send(480);
    // RFC 3327 5.3: a binding registered through a Path is reached along it.
    const result = await req.proxy(
      bindings.map((b) => (b.path ? { uri: b.contact, route: pathEntries(b.path) } : b.contact)),
      { forking: 'simultaneous', recordRoute: true },
    );
    onProxy?.(req, result);
  });

  app.on('error', (err) => console.error(`registrar: ${err.message}`));
  app.connect(connect);
  return app;
}

/** The entries of a Path header value: name-addrs separated by commas outside <...>. */
function pathEntries(path) {
  return path
    .split(/,(?=\s*<)/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

module.exports = { createRegistrar };
