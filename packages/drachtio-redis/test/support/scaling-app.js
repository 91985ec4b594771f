// One instance of a horizontally scaled app, run as its own process by scaling.test.ts.
// Arguments: admin port of the server, Redis key prefix, instance name, and the verbs it handles
// ('invite,bye' or just 'bye'). Reports to the parent over IPC.
const drachtio = require('drachtio');
const RedisStore = require('drachtio-redis')(drachtio);

const [adminPort, prefix, instance, verbs] = process.argv.slice(2);
const localSdp =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9000 RTP/AVP 0\r\n';

const app = drachtio();
const store = new RedisStore({ host: '127.0.0.1', port: 6379, prefix });
app.use(drachtio.session({ store }));
app.use(app.router);

if (verbs.split(',').includes('invite')) {
  app.invite((req, res) => {
    req.session.user = 'DaveH';
    req.session.answeredBy = instance;
    res.send(200, { headers: { 'content-type': 'application/sdp' }, body: localSdp });
    process.send({ event: 'invite', instance, callId: req.callId });
  });
}

app.bye((req, res) => {
  process.send({
    event: 'bye',
    instance,
    session: { user: req.session.user, answeredBy: req.session.answeredBy },
  });
  res.send(200);
});

app.on('error', (err) => process.send({ event: 'error', instance, message: err.message }));

app.connect(
  {
    host: '127.0.0.1',
    port: Number(adminPort),
    secret: 'cymru',
    appName: 'scaling',
    reconnect: false,
  },
  (err) => {
    if (err) {
      process.send({ event: 'error', instance, message: err.message });
      process.exit(1);
    }
    // Commands are handled in order: once the ping is answered, the server knows the routes.
    drachtio
      .internalsOf(app)
      .agent.command('ping', {})
      .then(() => process.send({ event: 'ready', instance }));
  },
);

// The test ends this process; if the test runner itself goes away, go too.
process.on('disconnect', () => process.exit(0));
