/**
 * The refusal controller and the queue delay estimate, driven with synthetic inputs: pure
 * modules, so the closed loop is simulated here (a server that carries CAPACITY units of work
 * per second, a call costing 1 unit and a refusal REFUSAL_COST) rather than timed.
 */
import { MAX_DELAY_MS, QueueDelay } from '../../src/overload/queue-delay';
import { RecentRefusals } from '../../src/overload/recent-refusals';
import { RefusalController, STANDING_SAMPLES } from '../../src/overload/refusal-controller';

const TARGET = 50;
const SAMPLE_MS = 25;
const CAPACITY = 1000;
const REFUSAL_COST = 0.2;

/**
 * Offered calls per second for `seconds` through the controller; what got through on average
 * over the last half, and every refusal. `pausedSamples`: samples in which the server does
 * nothing (a GC pause): it neither reads nor samples, while the calls keep arriving (the
 * requests' answers are decided when they are read, after the pause, like the arrivals here).
 */
function simulate(
  controller: RefusalController,
  offered: number,
  seconds: number,
  pausedSamples: ReadonlySet<number> = new Set(),
) {
  let backlog = 0; // units of work waiting
  let admitted = 0;
  let refusals = 0;
  let delays: number[] = [];
  const samples = (seconds * 1000) / SAMPLE_MS;
  const callsPerSample = (offered * SAMPLE_MS) / 1000;
  for (let sample = 0; sample < samples; sample++) {
    let admittedNow = 0;
    for (let call = 0; call < callsPerSample; call++) {
      if (controller.refusesNext('invite')) {
        backlog += REFUSAL_COST;
        refusals++;
      } else {
        backlog += 1;
        admittedNow++;
      }
    }
    if (pausedSamples.has(sample)) continue;
    backlog = Math.max(0, backlog - (CAPACITY * SAMPLE_MS) / 1000);
    const delay = (backlog / CAPACITY) * 1000;
    controller.update(delay);
    if (sample >= samples / 2) {
      admitted += admittedNow;
      delays.push(delay);
    }
  }
  delays = delays.sort((a, b) => a - b);
  return {
    admittedPerSecond: admitted / (seconds / 2),
    medianDelay: delays[Math.floor(delays.length / 2)] ?? 0,
    refusals,
  };
}

describe('RefusalController', () => {
  test('below capacity nothing is refused', () => {
    const controller = new RefusalController(TARGET);
    const { admittedPerSecond } = simulate(controller, 0.8 * CAPACITY, 10);
    expect(admittedPerSecond).toBe(0.8 * CAPACITY);
    expect(controller.fraction).toBe(0);
  });

  test.each([1.5, 2, 3])(
    'at %dx capacity it settles near capacity with the delay near its target',
    (overload) => {
      const controller = new RefusalController(TARGET);
      const { admittedPerSecond, medianDelay } = simulate(controller, overload * CAPACITY, 20);
      // What refusals cost leaves the rest for calls: the ideal admitted rate solves
      // admitted + REFUSAL_COST * (offered - admitted) = CAPACITY.
      const offered = overload * CAPACITY;
      const ideal = (CAPACITY - REFUSAL_COST * offered) / (1 - REFUSAL_COST);
      expect(admittedPerSecond).toBeGreaterThan(0.9 * ideal);
      expect(admittedPerSecond).toBeLessThan(1.1 * ideal);
      expect(medianDelay).toBeLessThan(4 * TARGET);
    },
  );

  test('one sample read right after a pause or a burst refuses nothing; a queue in two does', () => {
    const controller = new RefusalController(TARGET);
    for (const delay of [0, 0, 8 * TARGET, 0, 0, 0]) controller.update(delay);
    expect(controller.fraction).toBe(0);
    for (let sample = 0; sample < STANDING_SAMPLES; sample++) controller.update(3 * TARGET);
    expect(controller.fraction).toBeGreaterThan(0);
  });

  test('a GC pause near capacity refuses nothing: the backlog drains, sample after sample', () => {
    const controller = new RefusalController(TARGET);
    // 90 % of capacity; two pauses of 100 ms (4 samples), each leaving 90 ms of backlog (almost
    // twice the target), which the spare 10 % takes most of a second to read down.
    const pauses = new Set([80, 81, 82, 83, 240, 241, 242, 243]);
    const { refusals } = simulate(controller, 0.9 * CAPACITY, 10, pauses);
    expect(refusals).toBe(0);
    expect(controller.fraction).toBe(0);
  });

  test('a backlog read down slowly, its samples noisy, refuses nothing', () => {
    const controller = new RefusalController(TARGET);
    // From 2.5 targets (the sample read right after a pause), 2 % of a target less per sample,
    // every other sample 6 % above the one before it.
    let refusals = 0;
    for (let k = 0; k < 120; k++) {
      const noise = k % 2 === 0 ? 0.03 : -0.03;
      controller.update(Math.max(0, (2.5 - 0.02 * k + noise) * TARGET));
      for (let call = 0; call < 25; call++) if (controller.refusesNext('invite')) refusals++;
    }
    expect(refusals).toBe(0);
  });

  test('a pause whose backlog peers would retransmit before it drains is refused', () => {
    const controller = new RefusalController(TARGET);
    // 600 ms without a read at 90 %: 540 ms of backlog, beyond LONG_DELAY targets.
    const pause = new Set(Array.from({ length: 24 }, (_, i) => 40 + i));
    const { refusals } = simulate(controller, 0.9 * CAPACITY, 4, pause);
    expect(refusals).toBeGreaterThan(0);
  });

  test('once the load is gone the fraction falls back to nothing within half a second', () => {
    const controller = new RefusalController(TARGET);
    simulate(controller, 3 * CAPACITY, 5);
    expect(controller.fraction).toBeGreaterThan(0.5);
    simulate(controller, 0.5 * CAPACITY, 0.5);
    expect(controller.fraction).toBe(0);
  });

  test('refusals are spread evenly: a fraction of one quarter refuses every fourth INVITE', () => {
    const controller = new RefusalController(TARGET);
    // Drive the fraction to about 0.25 with a steady delay above target.
    while (controller.fraction < 0.25) controller.update(TARGET * 1.5);
    const fraction = controller.fraction;
    const refused = Array.from({ length: 1000 }, () => controller.refusesNext('invite'));
    const count = refused.filter(Boolean).length;
    expect(Math.abs(count - fraction * 1000)).toBeLessThanOrEqual(1);
  });

  test('other requests outside a dialog are refused only once more than half the INVITEs are', () => {
    const controller = new RefusalController(TARGET);
    while (controller.fraction < 0.4) controller.update(TARGET * 2);
    expect(Array.from({ length: 100 }, () => controller.refusesNext('other'))).not.toContain(true);
    while (controller.fraction < 1) controller.update(TARGET * 5);
    expect(Array.from({ length: 100 }, () => controller.refusesNext('other'))).not.toContain(false);
  });
});

describe('QueueDelay', () => {
  test('an empty queue is no delay, whatever was read', () => {
    const queue = new QueueDelay();
    for (let i = 0; i < 100; i++) queue.read(600);
    expect(queue.estimate(0, 25)).toBe(0);
  });

  test('queued bytes over the drain rate, counting what the kernel adds per datagram', () => {
    const queue = new QueueDelay();
    // 250 datagrams of 512 bytes per 25 ms, steadily: 10,000 per second.
    for (let sample = 0; sample < 40; sample++) {
      for (let i = 0; i < 250; i++) queue.read(512);
      queue.estimate(0, 25);
    }
    for (let i = 0; i < 250; i++) queue.read(512);
    // 1,000 datagrams queued, as the kernel accounts them (1,280 bytes each): 100 ms.
    expect(queue.estimate(1000 * 1280, 25)).toBeCloseTo(100, 0);
  });

  test('fewer datagrams than one read batch are a hiccup, not a delay', () => {
    const queue = new QueueDelay();
    for (let i = 0; i < 10; i++) queue.read(512);
    expect(queue.estimate(20 * 1280, 25)).toBe(0);
  });

  test('a queue that nothing drains is the longest delay', () => {
    const queue = new QueueDelay();
    expect(queue.estimate(100_000, 300)).toBe(MAX_DELAY_MS);
  });
});

describe('RecentRefusals', () => {
  test('remembers a key for one to two spans, and no more than its capacity', () => {
    const recent = new RecentRefusals(2, 1000, 0);
    recent.add('a', 0);
    recent.add('b', 10);
    recent.add('c', 20);
    expect(recent.has('a', 500)).toBe(true);
    expect(recent.has('c', 500)).toBe(false);
    expect(recent.has('a', 1500)).toBe(true);
    expect(recent.has('a', 3100)).toBe(false);
  });
});
