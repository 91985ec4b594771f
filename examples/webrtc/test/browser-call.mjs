// The browser test: Debian's chromium, headless, opens the example page, registers over WSS,
// calls the app (INVITE, 200, ACK, BYE), then takes a call from the app over its own WebSocket.
// It reads the page's state (window.phone.state), never a log line. Exit 0 when all passed.
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const { createTestCa } = require('drachtio-test-kit');
const { startDemo } = require('../demo.js');

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEP = 60_000;

if (!existsSync(CHROMIUM)) {
  console.log(
    `SKIP examples/webrtc browser test: no chromium at ${CHROMIUM} (apt-get install chromium)`,
  );
  process.exit(0);
}

const ca = createTestCa();
const cert = ca.read(ca.serverCert);
// Chromium trusts exactly this key for the test (the CA is made now, so it cannot be preinstalled).
const spki = createHash('sha256')
  .update(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' }))
  .digest('base64');
const demo = await startDemo({ cert, key: ca.read(ca.serverKey), wssPort: 0, pagePort: 0 });
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    `--ignore-certificate-errors-spki-list=${spki}`,
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
  ],
});

let failed = false;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failed = true;
};
const stateIs = (page, key, value) =>
  page.waitForFunction(
    (k, v) => window.phone?.state[k] === v,
    { timeout: STEP, polling: 50 },
    key,
    value,
  );

try {
  const page = await browser.newPage();
  await page.goto(`${demo.pageUrl}&user=alice&autoanswer=1`);
  await stateIs(page, 'registration', 'registered');
  check(true, 'the page registered over WSS');
  check(
    /\.invalid;transport=ws/.test(demo.contacts.get('alice') ?? ''),
    `the app saw a .invalid contact: ${demo.contacts.get('alice')}`,
  );

  // The browser calls the app's "echo" number.
  await page.evaluate(() => window.phone.call());
  await stateIs(page, 'call', 'confirmed');
  check(demo.seen.includes('INVITE'), 'outgoing call confirmed (INVITE, 200, ACK)');
  await page.evaluate(() => window.phone.hangup());
  await stateIs(page, 'call', 'ended');
  const byeSeen = await waitFor(() => demo.seen.includes('BYE'));
  check(byeSeen, 'the page hung up and the app got the BYE');

  // The app calls the browser at its registered contact: back over the browser's WebSocket.
  const dialogId = await demo.callBrowser('alice');
  await stateIs(page, 'call', 'confirmed');
  check(
    (await page.evaluate(() => window.phone.state.direction)) === 'incoming',
    'incoming call from the app confirmed',
  );
  await demo.hangUp(dialogId);
  await stateIs(page, 'call', 'ended');
  check(true, 'the app hung up and the page ended the call');
} catch (err) {
  check(false, `browser call: ${err.stack ?? err}`);
} finally {
  await browser.close();
  await demo.close();
  ca.remove();
}
process.exit(failed ? 1 : 0);

async function waitFor(predicate, timeoutMs = STEP) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
