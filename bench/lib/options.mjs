// Command-line options of run.mjs. A full run is sized to finish in about 50 minutes on the
// 2-core machine; --smoke runs every section for a few seconds at low rates (for CI).

export const USAGE = `usage: node run.mjs [options]
  --smoke               every section for a few seconds at low rate (CI); writes results/smoke.*
  --only <sections>     comma list of: parser, rate, overload, transports, held, soak, proxy
                        (default: all)
  --systems <list>      call-rate systems, comma list of: app, b2bua, engine, sipp, kamailio-uas,
                        sip-uas (default: all; a peer not installed is reported as not run)
  --overload-base <r>   the clean rates the overload section multiplies, e.g. a=3000,b=1500
                        (default: (a)'s and (b)'s max clean rate from section 1 of the same run)
  --transports <list>   the transports section's transports, comma list of: udp, tcp, tls (default: all)
  --steps <rates>       call-rate steps in calls/s, comma list (the transports section's too)
  --step-seconds <s>    length of each call-rate step (default 20)
  --calls <n>           calls held at once in section 2
  --held-rate <cps>     rate at which those calls are set up (default 500, at most (a)'s max clean rate)
  --soak <minutes>      soak length (default 10; 0 skips it)
  --soak-rate <cps>     soak rate (default: half of (a)'s max clean rate)
  --profile             also run (a) and (b) under --cpu-prof and take heap snapshots of 2,000 held
                        calls (about 4 minutes more); writes results/profiles/ and results/profile.md
  --out <name>          results/<name>.json and .md (default: latest, or smoke with --smoke)`;

const FULL = {
  // Up to 7,000: Kamailio (section 1's peer) ran clean at 6,000 here, and a ratio to a max that
  // was only the highest step tried is a bound, not a ratio.
  steps: [100, 250, 500, 750, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 7000],
  stepSeconds: 20,
  heldCalls: 10000,
  heldRate: 500,
  // Long enough for the transactions of the last calls to end (64*T1 = 32 s), see calls-held.mjs.
  lingerSeconds: 36,
  soakMinutes: 10,
  soakSampleSeconds: 2,
  profileSeconds: 20,
  snapshotCalls: 2000,
};

const SMOKE = {
  steps: [50],
  stepSeconds: 2,
  heldCalls: 100,
  heldRate: 50,
  lingerSeconds: 1,
  soakMinutes: 1 / 6,
  soakSampleSeconds: 1,
  profileSeconds: 3,
  snapshotCalls: 100,
};

export function parseOptions(argv) {
  const flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}'\n${USAGE}`);
    const name = arg.slice(2);
    if (['smoke', 'profile', 'help'].includes(name)) flags.set(name, true);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new Error(`--${name} needs a value\n${USAGE}`);
  }
  if (flags.has('help')) return { help: true };
  const smoke = flags.has('smoke');
  const base = smoke ? SMOKE : FULL;
  const list = (name, fallback) =>
    flags.has(name)
      ? flags
          .get(name)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : fallback;
  const number = (name, fallback) => {
    if (!flags.has(name)) return fallback;
    const value = Number(flags.get(name));
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--${name} must be a non-negative number`);
    return value;
  };
  const allSections = ['parser', 'rate', 'overload', 'transports', 'held', 'soak', 'proxy'];
  const sections = list('only', allSections);
  const allSystems = ['app', 'b2bua', 'engine', 'sipp', 'kamailio-uas', 'sip-uas'];
  const systems = list('systems', allSystems);
  for (const s of sections) if (!allSections.includes(s)) throw new Error(`unknown section '${s}'`);
  for (const s of systems) if (!allSystems.includes(s)) throw new Error(`unknown system '${s}'`);
  const transports = list('transports', ['udp', 'tcp', 'tls']);
  for (const t of transports)
    if (!['udp', 'tcp', 'tls'].includes(t)) throw new Error(`unknown transport '${t}'`);
  const steps = list('steps', base.steps).map(Number);
  if (steps.some((s) => !(s > 0))) throw new Error('--steps must be positive rates');
  return {
    smoke,
    profile: flags.has('profile'),
    sections,
    systems,
    transports,
    steps: steps.sort((x, y) => x - y),
    stepSeconds: number('step-seconds', base.stepSeconds),
    heldCalls: number('calls', base.heldCalls),
    heldRate: number('held-rate', base.heldRate),
    heldRateGiven: flags.has('held-rate'),
    lingerSeconds: base.lingerSeconds,
    soakSeconds: Math.round(number('soak', base.soakMinutes) * 60),
    soakRate: flags.has('soak-rate') ? number('soak-rate', 0) : undefined,
    soakSampleSeconds: base.soakSampleSeconds,
    overloadBase: overloadBase(flags.get('overload-base')),
    profileSeconds: base.profileSeconds,
    snapshotCalls: base.snapshotCalls,
    out: flags.get('out') ?? (smoke ? 'smoke' : 'latest'),
  };
}

/** 'a=3000,b=1500' -> { app: 3000, b2bua: 1500 }; either may be left out. */
function overloadBase(text) {
  const bases = {};
  const kinds = { a: 'app', b: 'b2bua' };
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const [name, value] = pair.split('=').map((part) => part.trim());
    const rate = Number(value);
    if (!kinds[name] || !(rate > 0))
      throw new Error(`--overload-base takes a=<cps>,b=<cps>, not '${pair}'`);
    bases[kinds[name]] = rate;
  }
  return bases;
}
