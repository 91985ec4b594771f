// 5. Proxy: the call-rate climb through a proxy to sipp -sn uas: (e) drachtio-server-ts with an
// app that proxies (req.proxy), and beside it in the same run (f) Kamailio's t_relay when
// kamailio is installed (a missing peer is reported, not fatal).
import { PROXIES } from '../lib/systems.mjs';
import { runCallRate } from './call-rate.mjs';

export async function runProxy({ steps, stepSeconds, log }) {
  const systems = await runCallRate({
    systems: ['proxy', 'kamailio'],
    registry: PROXIES,
    steps,
    stepSeconds,
    log,
  });
  return { systems };
}
