#!/usr/bin/env node
// The benchmark runner: parser throughput, call rate against our systems and their peers (Kamailio,
// the sip npm package), overload, call rate over UDP, TCP and TLS, calls held, soak, and a proxy
// beside Kamailio.
// Writes results/<out>.json and results/<out>.md. See README.md for what each number means.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './lib/machine.mjs';
import { parseOptions, USAGE } from './lib/options.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { judgeTargets } from './lib/targets.mjs';
import { runCallRate } from './sections/call-rate.mjs';
import { runCallsHeld } from './sections/calls-held.mjs';
import { runOverload } from './sections/overload.mjs';
import { runParser } from './sections/parser.mjs';
import { runProfile } from './sections/profile.mjs';
import { runProxy } from './sections/proxy.mjs';
import { runSoak } from './sections/soak.mjs';
import { runTransports } from './sections/transports.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');

const startedAt = Date.now();
const log = (line) =>
  console.log(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}`);

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) return console.log(USAGE);
  mkdirSync(resultsDir, { recursive: true });
  const profileDir = join(resultsDir, 'profiles');
  if (options.profile) rmSync(profileDir, { recursive: true, force: true });

  const results = {
    machine: describeMachine(),
    settings: {
      smoke: options.smoke,
      steps: options.steps,
      stepSeconds: options.stepSeconds,
      heldCalls: options.heldCalls,
      heldRate: options.heldRate,
      soakSeconds: options.soakSeconds,
    },
  };
  const has = (section) => options.sections.includes(section);
  // Each section stands alone: one that fails is recorded and the others still run.
  const attempt = async (name, run) => {
    try {
      return await run();
    } catch (error) {
      log(`${name} failed: ${error.message}`);
      if (error.detail) log(error.detail.replace(/^/gm, '    '));
      return { error: error.message, detail: error.detail };
    }
  };

  if (has('parser'))
    results.parser = await attempt('parser', () => runParser({ smoke: options.smoke, log }));
  if (has('rate'))
    results.callRate = await attempt('call rate', () => runCallRate({ ...options, log }));
  const maxClean = (kind) =>
    Array.isArray(results.callRate)
      ? results.callRate.find((r) => r.kind === kind)?.maxCleanRate
      : undefined;
  if (has('overload')) {
    // An explicit --overload-base wins over what section 1 found.
    const bases = { app: maxClean('app'), b2bua: maxClean('b2bua'), ...options.overloadBase };
    results.settings.overloadBase = bases;
    results.overload = await attempt('overload', () => runOverload({ ...options, bases, log }));
  }
  if (has('transports'))
    results.transports = await attempt('transports', () => runTransports({ ...options, log }));
  // Later sections run at rates (a) is known to carry cleanly.
  const maxA = maxClean('app');
  if (has('held') && options.heldCalls > 0) {
    if (!options.heldRateGiven && maxA) options.heldRate = Math.min(options.heldRate, maxA);
    results.settings.heldRate = options.heldRate;
    results.callsHeld = await attempt('calls held', () =>
      runCallsHeld({
        calls: options.heldCalls,
        rate: options.heldRate,
        lingerSeconds: options.lingerSeconds,
        log,
      }),
    );
  }
  if (has('soak') && options.soakSeconds > 0) {
    const rate = options.soakRate ?? (maxA ? Math.max(10, Math.round(maxA / 2)) : options.steps[0]);
    results.settings.soakRate = rate;
    results.soak = await attempt('soak', () =>
      runSoak({
        seconds: options.soakSeconds,
        rate,
        sampleSeconds: options.soakSampleSeconds,
        log,
      }),
    );
  }
  if (has('proxy')) results.proxy = await attempt('proxy', () => runProxy({ ...options, log }));
  if (options.profile) {
    results.profile = await attempt('profile', () =>
      runProfile({ ...options, results, resultsDir, profileDir, log }),
    );
  }

  results.durationSeconds = Math.round((Date.now() - startedAt) / 1000);
  results.targets = judgeTargets(results);
  writeFileSync(join(resultsDir, `${options.out}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(resultsDir, `${options.out}.md`), renderMarkdown(results));
  log(`wrote results/${options.out}.json and results/${options.out}.md`);
  for (const t of results.targets) log(`target ${t.target}: ${t.measured} (${verdict(t)})`);
  if (options.smoke) {
    const problems = smokeProblems(results);
    for (const problem of problems) log(`smoke: ${problem}`);
    if (problems.length > 0) process.exitCode = 1;
  }
}

/** How a target came out, for the log. */
function verdict(target) {
  if (target.holds !== null) return target.holds ? 'holds' : 'does not hold';
  return target.unproven ? `unproven: ${target.unproven}` : 'not measured';
}

/**
 * A smoke run measures nothing, but at 50 calls/s every call must go through: anything else
 * means the bench (or what it drives) is broken, and the smoke run, which CI runs, fails.
 */
function smokeProblems(results) {
  const problems = [];
  for (const [name, section] of Object.entries({
    parser: results.parser,
    'call rate': results.callRate,
    overload: results.overload,
    transports: results.transports,
    'calls held': results.callsHeld,
    soak: results.soak,
  })) {
    if (section?.error) problems.push(`${name} failed: ${section.error}`);
  }
  for (const list of [results.callRate, results.transports, results.proxy?.systems]) {
    if (Array.isArray(list))
      for (const system of list)
        if (!system.notRun && !system.maxCleanRate)
          problems.push(`${system.label}: ${system.error ?? system.limitedBy}`);
  }
  // At the smoke run's few calls a second even 3x is light load: every call must complete.
  if (Array.isArray(results.overload))
    for (const system of results.overload)
      for (const step of system.steps)
        if (step.error || step.failed > 0 || step.refused > 0)
          problems.push(
            `overload ${system.label} ${step.multiple}x: ${step.error ?? `${step.failed} failed, ${step.refused} refused`}`,
          );
  if (results.proxy?.error) problems.push(`proxy failed: ${results.proxy.error}`);
  const held = results.callsHeld;
  if (held && !held.error && (held.established < held.calls || held.sipp.failedCalls > 0)) {
    problems.push(
      `calls held: ${held.established} of ${held.calls} established, ${held.sipp.failedCalls} failed`,
    );
  }
  if (results.soak && !results.soak.error && results.soak.sipp.failedCalls > 0)
    problems.push(`soak: ${results.soak.sipp.failedCalls} failed calls`);
  return problems;
}

// Ctrl-C: exit through process.exit so every 'exit' hook kills what this run started.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
