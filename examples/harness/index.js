// Runs one example of the seed README end to end, on one machine, in one command:
//   1. drachtio-server-ts in-process, SIP and admin port on free ports;
//   2. sipp answering (when the example sends requests): its URI is handed to the app as FAR_END;
//   3. the example's app.js, told where the server is through DRACHTIO_HOST / DRACHTIO_PORT;
//   4. sipp calling the server (when the example receives requests).
// Prints what each side did and exits 0 when every sipp call succeeded, 1 otherwise.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { createServer } = require('drachtio-server-ts');
const { startSipp } = require('drachtio-test-kit');

const SECRET = 'cymru';
/** The far-end scenarios live with drachtio's end-to-end tests, which run the same calls. */
const SCENARIOS = join(__dirname, '..', '..', 'packages', 'drachtio', 'test', 'scenarios');

/**
 * @param {object} example
 * @param {string} example.dir       the example's folder (holds app.js)
 * @param {{name: string, values?: object, args?: string[]}} [example.answers]  sipp answering the app's requests
 * @param {Array<{name: string, values?: object, args?: string[], service?: string}> | object} [example.calls]
 *        sipp calling the app, one scenario after the other
 */
async function runExample(example) {
  const say = (who, text) => console.log(`${who.padEnd(7)}| ${text}`);
  const server = await createServer({
    secret: SECRET,
    contacts: ['sip:127.0.0.1:0;transport=udp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: 'warn',
  });
  const sipHostport = /^sip:([^;]+)/.exec(server.sipContacts[0])[1];
  say(
    'server',
    `drachtio-server-ts: SIP on ${sipHostport}, applications on 127.0.0.1:${server.adminAddress.port}`,
  );

  const sipps = [];
  let app;
  try {
    if (example.answers) {
      const callee = await startSipp({
        scenario: scenario(example.answers),
        service: 'bob',
        args: example.answers.args,
      });
      say('sipp', `answering on ${callee.hostport} (${example.answers.name})`);
      process.env.FAR_END = callee.uri('bob');
      sipps.push(['callee', callee]);
    }
    process.env.DRACHTIO_HOST = '127.0.0.1';
    process.env.DRACHTIO_PORT = String(server.adminAddress.port);
    app = require(join(example.dir, 'app.js'));
    await new Promise((resolve, reject) =>
      app.connected ? resolve() : app.once('connect', (err) => (err ? reject(err) : resolve())),
    );
    say('app', 'connected');
    let ok = true;
    const verdict = async (role, sipp) => {
      const result = await sipp.done;
      const passed = result.exitCode === 0 && result.errors === '';
      ok = ok && passed;
      say(
        'sipp',
        `${role}: ${passed ? 'call completed as scripted' : `FAILED (exit ${result.exitCode})\n${result.errors}`}`,
      );
    };
    for (const call of [].concat(example.calls ?? [])) {
      say('sipp', `calling ${sipHostport} (${call.name})`);
      const caller = await startSipp({
        scenario: scenario(call),
        remote: sipHostport,
        service: call.service ?? 'drachtio',
        args: call.args,
      });
      sipps.push(['caller', caller]);
      await verdict('caller', caller);
    }
    for (const [role, sipp] of sipps) if (role === 'callee') await verdict(role, sipp);
    return ok;
  } finally {
    app?.disconnect();
    for (const [, sipp] of sipps) await sipp.kill();
    await server.close();
  }
}

function scenario({ name, values = {} }) {
  const xml = readFileSync(join(SCENARIOS, `${name}.xml`), 'utf8');
  return xml.replace(/\{\{(\w+)\}\}/g, (_, key) =>
    String(values[key]).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'),
  );
}

/** For run.mjs: run, report, exit. */
function main(example) {
  runExample(example).then(
    (ok) => process.exit(ok ? 0 : 1),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

module.exports = { runExample, main };
