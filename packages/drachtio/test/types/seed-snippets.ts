/* eslint-disable @typescript-eslint/no-unused-vars, @typescript-eslint/no-unused-expressions -- the seed's snippets as written, compiled (not run) by test/types.test.ts */
// Every snippet of the seed README, typed under `strict` against the built package. Compiled by
// test/types.test.ts; the @ts-expect-error lines prove the types reject what they should.
import drachtio from 'drachtio';
import type {
  ClientRequest,
  IncomingResponse,
  Middleware,
  NextFunction,
  Request,
  Response,
} from 'drachtio';

declare const mySdp: string;
declare const sdp: string;
declare const localSdp: string;
declare const debug: (...args: unknown[]) => void;
const d = { dummySdp: 'v=0' };

// Packages add what they bring to the Request by declaration merging (drachtio-session does this).
declare module 'drachtio' {
  interface Request {
    session: { user?: string };
  }
}

const app = drachtio();
const isEmitter: import('node:events').EventEmitter = app;

app.connect({ host: 'localhost', port: 8022, secret: 'cymru', appName: 'my simple app' });

app.invite(function (req, res) {
  res.send(486, {
    headers: {
      'user-agent': "Drachtio rocksz - but he's busy right now!",
    },
  });
});

app.connect(
  {
    host: 'localhost',
    port: 8022,
    secret: 'cymru',
    appName: 'myApp',
  },
  function (err, hostport) {
    if (err) console.error('failed to connect to drachtio-server: ' + err);
    else console.log('drachtio-server is listening for sip messages on ' + hostport);
  },
);

app.invite(function (req, res) {
  res.send(200, {
    body: mySdp,
    headers: {
      'content-type': 'application/sdp',
    },
  });
});
app.register(function (req, res) {
  res.send(200, {
    headers: {
      expires: 1800,
    },
  });
});

app.once('connect', function (err) {
  if (err) throw err;
  app.uac.options('sip:1234@192.168.173.139', function (err, req, res) {
    if (err) console.error(err);
    else debug('received response with status is ', res?.statusCode);
    app.disconnect();
  });
});

const siprequest = app.uac;
siprequest('sip:1234@192.168.173.139', function (err, req, res) {
  if (err) throw err;
  if (res?.statusCode === 200) {
    res.ack({
      body: mySdp,
      headers: {
        'content-type': 'application/sdp',
      },
    });
  }
});

const request = app.uac(
  'sip:234@127.0.0.1:5060',
  {
    headers: {
      'content-type': 'application/sdp',
    },
    body: sdp,
  },
  function (err, req, res) {
    if (err) throw err;
    if (res?.statusCode === 200) {
      res.ack();
    }
  },
);
setTimeout(function () {
  request.cancelRequest();
}, 1000);

app.invite(function (req, res) {
  res.send(180);
  req.active &&
    res.send(200, {
      headers: {
        'content-type': 'application/sdp',
      },
      body: localSdp,
    });
  req.cancel(function (req, res) {
    debug('request was canceled by sender');
  });
});

app.uac(
  'sip:234@127.0.0.1:5060',
  {
    headers: {
      'content-type': 'application/sdp',
      supported: '100rel',
      require: '100rel',
    },
    body: sdp,
  },
  function (err, req, res) {
    //..handle response
  },
);

app.invite(function (req, res) {
  res.send(183, {
    headers: {
      'Content-Type': 'application/sdp',
      Require: '100rel',
    },
    body: localSdp,
  });
  req.prack(function (prack) {
    res.send(200, {
      headers: {
        'Content-Type': 'application/sdp',
      },
      body: d.dummySdp,
    });
  });
});

app.on('sipdialog:create-early', function (e) {
  const dialog = e.target;
  const id: string = dialog.dialogId;
  debug('early dialog has been created: ', dialog, id);
});

app.invite(function (req, res) {
  res.send(500, 'Internal Server Error - Database down', {
    headers: {
      'X-My-Special-thingy': 'isnt my custom header shiny pretty?',
    },
  });
});

app.invite(function (req, res) {
  const b2bua = siprequest('sip:209.251.49.158', {
    headers: {
      'content-type': 'application/sdp',
    },
    body: req.body,
  }).pipe(res);

  b2bua
    .on('fail', function (status) {
      const code: number = status.status;
      const phrase: string = status.phrase;
      debug('b2bua failed with status: ', status, code, phrase);
    })
    .on('success', function () {
      debug('b2bua connected successfully');
    });
});

app.use(function (req, res, next) {
  /* reject all messages except from one ip address */
  if (req.signaling_address !== '192.168.1.52') return res.send(403);
  next();
});
app.use(app.router);

app.use(
  'register',
  drachtio.digestAuth('dracht.io', function (realm, user, fn) {
    fn(null, 'foobar');
  }),
);

app.use('response', function (req, res, next) {
  const sent: ClientRequest = req;
  const status: number = res.statusCode;
  next();
});

app.use(function (err: unknown, req: Request, res: Response, next: NextFunction) {
  res.send(500);
});

app.invite(function (req, res) {
  req.session.user = 'DaveH';
  console.log('remote tag on the incoming INVITE is ' + req.get('from').tag);
  console.log('calling party number on the incoming INVITE is ' + req.get('from').url.user);
  const branch: string | undefined = req.get('via')[0].branch;
  const seq: number = req.get('cseq').seq;
});

// Promises as well as callbacks.
async function promises(): Promise<void> {
  const res: IncomingResponse = await app.uac.options('sip:1234@192.168.173.139');
  const status: number = res.status;
  const inDialog = await app.request({ method: 'BYE', dialogId: 'd-1' });
  const sent = await new Promise<Response>((resolve) => app.bye((req, res) => resolve(res)));
  await sent.send(200);
}

const factory: drachtio.MiddlewareFactory = drachtio.session;
const middleware: Middleware = factory({ store: {} });

// The types refuse what the runtime would refuse.
app.invite((req, res) => {
  // @ts-expect-error a status is a number
  res.send('486');
  // @ts-expect-error headers are a map of strings, numbers or string arrays
  res.send(200, { headers: { expires: true } });
  // @ts-expect-error there is no such property
  req.nonsense;
});
// @ts-expect-error connect needs a secret
app.connect({ host: 'localhost', port: 8022 });
// @ts-expect-error uac needs a request-uri
app.uac();
// @ts-expect-error events are the application's own: a misspelt one does not compile
app.on('conect', () => undefined);
app.on('reconnecting', ({ attempt, delay }) => console.log(attempt, delay));
drachtio({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
// @ts-expect-error a logger has debug, info, warn and error
drachtio({ logger: console.log });
