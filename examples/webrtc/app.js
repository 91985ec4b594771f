// The WebRTC example's app: a registrar that remembers each browser's contact, an "echo" number
// that answers calls, and callBrowser(user), which calls a registered browser. A browser's
// contact is a `.invalid` host over WebSocket: drachtio-server-ts sends the INVITE back over the
// browser's own connection.
'use strict';
const drachtio = require('drachtio');
const { answerTo, offer } = require('./sdp');

const app = drachtio();
const config = { host: process.env.DRACHTIO_HOST || '127.0.0.1', port: Number(process.env.DRACHTIO_PORT || 8022), secret: process.env.DRACHTIO_SECRET || 'cymru' };
/** user -> registered contact URI */
const contacts = new Map();
/** What the app saw, in order, for the README's demo and the browser test. */
const seen = [];

app.connect(config);

app.register((req, res) => {
  const user = /sip:([^@>]+)@/.exec(req.getHeader('To'))?.[1];
  const contact = req.getHeader('Contact');
  const uri = /<([^>]+)>/.exec(contact)?.[1];
  const expires = Number(/expires=(\d+)/i.exec(contact)?.[1] ?? req.getHeader('Expires') ?? 600);
  if (user && uri) expires === 0 ? contacts.delete(user) : contacts.set(user, uri);
  seen.push(`REGISTER ${user} ${uri}`);
  res.send(200, { headers: { contact, expires: Math.min(expires, 600) } });
});

app.invite((req, res) => {
  seen.push('INVITE');
  res.send(200, { body: answerTo(req.body), headers: { 'content-type': 'application/sdp' } });
});

app.bye((req, res) => {
  seen.push('BYE');
  res.send(200);
});

/** Calls a registered browser; resolves with the dialog id once the call is up (ACK sent). */
function callBrowser(user) {
  const uri = contacts.get(user);
  if (!uri) return Promise.reject(new Error(`${user} is not registered`));
  return new Promise((resolve, reject) => {
    app.uac(uri, { body: offer(), headers: { 'content-type': 'application/sdp' } }, (err, req, res) => {
      if (err) return reject(err);
      if (res.statusCode !== 200) return reject(new Error(`${user} answered ${res.statusCode}`));
      // The INVITE carried the offer, so drachtio-server-ts has sent the ACK itself.
      seen.push(`CALLED ${user}`);
      resolve(res.dialogId);
    });
  });
}

/** Hangs up a call the app placed. */
function hangUp(dialogId) {
  return app.request({ method: 'BYE', dialogId });
}

module.exports = { app, contacts, seen, callBrowser, hangUp };
