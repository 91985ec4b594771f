// Starts the example's three parts on one machine: drachtio-server-ts with a WSS contact, the
// app (app.js) connected to it, and an HTTPS server for the page. run.mjs (a person) and
// test/browser-call.mjs (the browser test) share it.
'use strict';
const { readFileSync } = require('node:fs');
const { createServer: createHttpsServer } = require('node:https');
const { extname, join } = require('node:path');
const { createServer } = require('drachtio-server-ts');

const SECRET = 'cymru';
const FILES = {
  'index.html': join(__dirname, 'page', 'index.html'),
  'phone.bundle.js': join(__dirname, 'dist', 'phone.bundle.js'),
};
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/**
 * @param {{cert: Buffer, key: Buffer, host?: string, wssPort?: number, pagePort?: number, logLevel?: string}} options
 */
async function startDemo({
  cert,
  key,
  host = '127.0.0.1',
  wssPort = 8443,
  pagePort = 8080,
  logLevel = 'warn',
}) {
  const pages = createHttpsServer({ cert, key }, (req, res) => {
    const name = new URL(req.url, 'https://x').pathname.replace(/^\/$/, '/index.html').slice(1);
    if (!Object.hasOwn(FILES, name)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(name)] }).end(readFileSync(FILES[name]));
  });
  await new Promise((resolve) => pages.listen(pagePort, host, resolve));
  const origin = `https://${host.includes(':') ? `[${host}]` : host}:${pages.address().port}`;
  const server = await createServer({
    secret: SECRET,
    contacts: [`sip:${host.includes(':') ? `[${host}]` : host}:${wssPort};transport=wss`],
    admin: { address: '127.0.0.1', port: 0 },
    // Only this page may open the WebSocket (RFC 7118's Origin check, RFC 6455 10.2).
    sip: { tls: { cert, key }, websocket: { allowedOrigins: [origin] } },
    logLevel,
  });
  const wss = /^sip:([^;]+)/.exec(server.sipContacts[0])[1];
  process.env.DRACHTIO_HOST = '127.0.0.1';
  process.env.DRACHTIO_PORT = String(server.adminAddress.port);
  process.env.DRACHTIO_SECRET = SECRET;
  const example = require('./app');
  await new Promise((resolve, reject) =>
    example.app.connected
      ? resolve()
      : example.app.once('connect', (err) => (err ? reject(err) : resolve())),
  );
  return {
    ...example,
    pageUrl: `${origin}/?ws=${encodeURIComponent(`wss://${wss}`)}`,
    async close() {
      example.app.disconnect();
      await server.close();
      await new Promise((resolve) => pages.close(resolve));
    },
  };
}

module.exports = { startDemo };
