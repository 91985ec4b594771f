// The example application: answers INVITE with SDP, challenges REGISTER with digest
// authentication, answers OPTIONS, and keeps one session per call in the default MemoryStore.
const drachtio = require('drachtio');

const adminPort = Number(process.env.DRACHTIO_ADMIN_PORT || 8022);
const secret = process.env.DRACHTIO_SECRET || 'cymru';
const users = { alice: 'wonderland', bob: 'builder' };

const localSdp = [
  'v=0',
  'o=drachtio 1 1 IN IP4 127.0.0.1',
  's=drachtio-ts example',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

const app = drachtio();

app.connect({ host: '127.0.0.1', port: adminPort, secret, appName: 'example' }, (err, hostport) => {
  if (err) {
    console.error(`app: cannot connect to drachtio-server-ts: ${err.message}`);
    process.exit(1);
  }
  console.log(`app: connected; drachtio-server-ts takes SIP on ${hostport}`);
});

app.use(drachtio.session());
app.use(
  'register',
  drachtio.digestAuth('drachtio.example', (realm, user, fn) => {
    if (users[user]) fn(null, users[user]);
    else fn(new Error(`unknown user ${user}`));
  }),
);

app.invite((req, res) => {
  req.session.caller = req.get('from').url.user;
  console.log(`app: INVITE from ${req.session.caller}, answering`);
  res.send(200, { headers: { 'content-type': 'application/sdp' }, body: localSdp });
});

app.bye((req, res) => {
  console.log(`app: BYE, call from ${req.session.caller} ended`);
  res.send(200);
});

app.register((req, res) => {
  console.log(`app: REGISTER ${req.get('to').url.user} accepted`);
  res.send(200, { headers: { expires: 1800 } });
});

app.options((req, res) =>
  res.send(200, { headers: { allow: 'INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER' } }),
);

function stop() {
  app.disconnect();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
