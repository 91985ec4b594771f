// The systems a call-rate run is pointed at. Each one is a set of processes with one SIP
// address for sipp's UAC to call; `processes` lists every pid whose CPU is reported. A peer
// that may be missing from the machine has `missing()`, the reason it cannot run (or undefined).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kamailioMissing, startKamailio } from './kamailio.mjs';
import { startTarget } from './node-process.mjs';
import { freeUdpPort } from './ports.mjs';
import { startSippUas } from './sipp.mjs';

/** The proxies' load: sipp's UAC call with ACK and BYE along the recorded route. */
const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');
const ROUTED_UAC = join(SCENARIOS, 'uac-routed.xml');
/** Their far end: sipp -sn uas's answers with the Record-Route copied. */
const ROUTED_UAS = join(SCENARIOS, 'uas-rr.xml');

const SECRET = 'bench';

export const SYSTEMS = {
  app: {
    label: '(a) server + app (UAS)',
    description:
      'drachtio-server-ts and a drachtio app answering INVITE 200+SDP, BYE 200, each in its own process',
    start: () =>
      startInOrder({
        server: () => startServer(),
        app: ({ server }) => startApp('app', server, ['--mode', 'uas']),
      }).then((parts) => system(parts.server.info.sip, parts)),
  },
  b2bua: {
    label: '(b) server + app (B2BUA) + sipp UAS',
    description: 'the same app bridging each call to sipp -sn uas with app.uac(...).pipe(res)',
    start: () =>
      startInOrder({
        'sipp-uas': () => startSippUas(),
        server: () => startServer(),
        app: ({ server, 'sipp-uas': uas }) =>
          startApp('app', server, ['--mode', 'b2bua', '--far-end', uas.hostport]),
      }).then((parts) => system(parts.server.info.sip, parts)),
  },
  engine: {
    label: '(c) engine only (internal API)',
    description:
      'the SIP engine answering from its SipEngine control API in one process, no wire, no app',
    start: () =>
      startInOrder({ engine: () => startTarget('engine', 'engine.mjs') }).then((parts) =>
        system(parts.engine.info.sip, parts),
      ),
  },
  sipp: {
    label: '(d) sipp UAS (ceiling)',
    description: "sipp's own UAS (-sn uas): what this machine and sipp's UAC can do at all",
    start: () =>
      startInOrder({ 'sipp-uas': () => startSippUas() }).then((parts) =>
        system(parts['sipp-uas'].hostport, parts),
      ),
  },
  'kamailio-uas': {
    label: '(g) Kamailio tm UAS (peer)',
    description:
      'Kamailio (kamailio/uas.cfg: t_newtran, then t_reply 200 with SDP; BYE 200 the same way), every worker process measured',
    missing: kamailioMissing,
    start: () =>
      startInOrder({ kamailio: () => startKamailio('uas.cfg') }).then((parts) =>
        kamailioSystem(parts, []),
      ),
  },
  'sip-uas': {
    label: '(h) `sip` npm UAS (peer)',
    description:
      'targets/sip-uas.mjs: a UAS on the sip npm package answering INVITE 200+SDP and BYE 200, in its own process',
    missing: sipPackageMissing,
    start: async () => {
      const port = await freeUdpPort();
      const parts = await startInOrder({
        'sip-uas': () => startTarget('sip-uas', 'sip-uas.mjs', ['--port', String(port)]),
      });
      return system(parts['sip-uas'].info.sip, parts);
    },
  },
};

/** The proxy section's systems: the same call through a proxy to sipp -sn uas. */
export const PROXIES = {
  proxy: {
    label: '(e) server + proxying app',
    description:
      "drachtio-server-ts and a drachtio app that proxies each INVITE to sipp -sn uas with req.proxy(uri, { recordRoute: true }); ACK and BYE go through the server's Record-Route",
    start: () =>
      startInOrder({
        'sipp-uas': () => startSippUas(ROUTED_UAS),
        server: () => startServer(),
        app: ({ server, 'sipp-uas': uas }) =>
          startApp('app', server, ['--mode', 'proxy', '--far-end', uas.hostport]),
      }).then((parts) => ({ ...system(parts.server.info.sip, parts), uacScenario: ROUTED_UAC })),
  },
  kamailio: {
    label: '(f) Kamailio t_relay',
    description:
      'Kamailio (kamailio/t_relay.cfg: record_route, t_relay, loose_route) proxying to sipp -sn uas, every worker process measured',
    missing: kamailioMissing,
    start: () =>
      startInOrder({
        'sipp-uas': () => startSippUas(ROUTED_UAS),
        kamailio: ({ 'sipp-uas': uas }) =>
          startKamailio('t_relay.cfg', { DESTINATION: `sip:${uas.hostport}` }),
      }).then((parts) => ({
        ...kamailioSystem(parts, [{ name: 'sipp-uas', pid: parts['sipp-uas'].pid }]),
        uacScenario: ROUTED_UAC,
      })),
  },
};

/**
 * Kamailio's main process and every worker it forked, after `others`; its workers share the
 * main process's socket, so drops are read from that one only.
 */
function kamailioSystem(parts, others) {
  const kamailio = parts.kamailio
    .pids()
    .map((pid, index) => ({ name: index === 0 ? 'kamailio' : `kamailio-${index}`, pid }));
  return {
    ...system(parts.kamailio.hostport, parts),
    processes: [...others, ...kamailio],
    socketOwners: [...others, kamailio[0]],
  };
}

function sipPackageMissing() {
  try {
    createRequire(import.meta.url).resolve('sip');
    return undefined;
  } catch {
    return 'the sip npm package is not installed (pnpm install in bench/)';
  }
}

export function startServer(args = []) {
  return startTarget('server', 'server.mjs', [
    '--secret',
    SECRET,
    ...args,
    ...(process.env.BENCH_SERVER_LOG_LEVEL
      ? ['--log-level', process.env.BENCH_SERVER_LOG_LEVEL]
      : []),
  ]);
}

export function startApp(name, server, args) {
  return startTarget(name, 'app.mjs', ['--admin', server.info.admin, '--secret', SECRET, ...args]);
}

/** Start the parts one after the other; when one fails, stop those already running. */
async function startInOrder(starters) {
  const parts = {};
  try {
    for (const [name, start] of Object.entries(starters)) parts[name] = await start(parts);
    return parts;
  } catch (error) {
    await stopAll(parts);
    throw error;
  }
}

async function stopAll(parts) {
  // Last started first: the app before the server, so the server does not answer its requests
  // with 480 while closing.
  for (const part of Object.values(parts).reverse()) await part.stop();
}

function system(remote, parts) {
  return {
    remote,
    parts,
    processes: Object.entries(parts).map(([name, part]) => ({ name, pid: part.pid })),
    stop: () => stopAll(parts),
  };
}
