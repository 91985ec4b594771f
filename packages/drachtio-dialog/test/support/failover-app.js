/**
 * One instance of the failover test's app, in its own process: session() on Redis, dialog(),
 * answers calls, and hangs up (from whichever instance gets it) when an INFO arrives in a
 * dialog. Reports what happens to the test over the IPC channel.
 *
 * argv: <admin port> <secret> <appName> <redis key prefix> <instance name> [B2BUA target]
 * With a B2BUA target, calls are piped there instead of answered.
 */
const drachtio = require('drachtio');
const { session } = require('drachtio-session');
const { RedisStore } = require('drachtio-redis');
const dialog = require('../../dist').default;

const [adminPort, secret, appName, prefix, instance, target] = process.argv.slice(2);
const store = new RedisStore({ host: '127.0.0.1', port: 6379, prefix });
const app = drachtio();
const report = (message) => process.send({ instance, ...message });

app.use(session({ store }));
app.use(dialog({ app }));

app.invite((req, res) => {
  req.session.user = 'DaveH';
  if (target) {
    app.uac(target, { headers: { 'content-type': 'application/sdp' }, body: req.body }).pipe(res);
    return;
  }
  res.send(200, {
    headers: { 'content-type': 'application/sdp' },
    body: 'v=0\r\no=bob 3000 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\n',
  });
});

app.info((req, res) => {
  res.send(200);
  report({ event: 'info', dialogId: req.dialog && req.dialog.id, sessionUser: req.session.user });
  if (req.dialog)
    req.dialog.terminate().catch((err) => report({ event: 'error', message: err.message }));
});

app.on('sipdialog:create', (e) => report({ event: 'create', dialog: e.target.toJSON() }));
app.on('sipdialog:terminate', (e) =>
  report({
    event: 'terminate',
    reason: e.reason,
    dialog: e.target.toJSON(),
    sessionUser: e.session && e.session.user,
  }),
);
app.on('error', (err) => report({ event: 'error', message: err.message }));

app.connect(
  { host: '127.0.0.1', port: Number(adminPort), secret, appName, reconnect: false },
  (err) => {
    if (err) return report({ event: 'error', message: err.message });
    drachtio
      .internalsOf(app)
      .agent.command('ping', {})
      .then(() => report({ event: 'ready' }));
  },
);

process.on('disconnect', () => {
  app.disconnect();
  store.close().finally(() => process.exit(0));
});
