/**
 * The paced phase's load: requests started on a fixed schedule (open loop), request i at `i / rate` seconds
 * after the first, whenever the answers to earlier ones come back. A closed loop (the next request when an
 * answer returns) sends less while the gateway is slow, so the slow moments are hardly sampled ("coordinated
 * omission"); here each latency is counted from the request's scheduled start, so time spent waiting to start
 * (the in-flight cap reached, the load generator itself busy) counts against the gateway too.
 */

export interface PacedClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: PacedClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A start this much behind its schedule counts as late: above the timers' granularity (about 1 ms). */
export const LATE_AFTER_MS = 2;

export interface PacedResult {
  /** Accept latency of each request from its scheduled start, ms, ascending. */
  readonly latencies: readonly number[];
  /** Requests per second from the first scheduled start to the last answer. */
  readonly achievedPerSecond: number;
  /** Requests started more than LATE_AFTER_MS behind their schedule. */
  readonly late: number;
  /** Of those, the ones that waited for a free slot under `maxInFlight`. */
  readonly heldByCap: number;
  readonly maxStartLagMs: number;
  readonly maxInFlightSeen: number;
}

export interface PacedPlan {
  readonly count: number;
  /** Requests per second. */
  readonly rate: number;
  /** Requests in flight at most; a request due while they all are waits, and is late. */
  readonly maxInFlight: number;
}

/** Runs `send(i)` for i in 0..count-1 on the plan's schedule; rejects with the first failed request's error. */
export async function sendPaced(plan: PacedPlan, send: (i: number) => Promise<void>, clock: PacedClock = realClock): Promise<PacedResult> {
  const interval = 1000 / plan.rate;
  const latencies = new Array<number>(plan.count);
  const answers: Promise<void>[] = [];
  let inFlight = 0;
  let maxInFlightSeen = 0;
  let late = 0;
  let heldByCap = 0;
  let maxStartLagMs = 0;
  let lastAnswer = 0;
  let failure: { error: unknown } | undefined;
  let slotFreed: (() => void) | undefined;
  const t0 = clock.now();
  let next = 0;
  let held = false;
  while (next < plan.count && failure === undefined) {
    const due = t0 + next * interval;
    const now = clock.now();
    if (now < due) {
      await clock.sleep(due - now);
      continue;
    }
    if (inFlight >= plan.maxInFlight) {
      held = true;
      await new Promise<void>((resolve) => (slotFreed = resolve));
      continue;
    }
    const i = next++;
    const lag = now - due;
    if (lag > LATE_AFTER_MS) {
      late++;
      if (held) heldByCap++;
    }
    held = false;
    maxStartLagMs = Math.max(maxStartLagMs, lag);
    inFlight++;
    maxInFlightSeen = Math.max(maxInFlightSeen, inFlight);
    answers.push(
      send(i).then(
        () => {
          const at = clock.now();
          latencies[i] = at - due;
          lastAnswer = Math.max(lastAnswer, at);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      ).finally(() => {
        inFlight--;
        const wake = slotFreed;
        slotFreed = undefined;
        wake?.();
      }),
    );
  }
  await Promise.all(answers);
  if (failure !== undefined) throw failure.error;
  return {
    latencies: latencies.sort((a, b) => a - b),
    achievedPerSecond: lastAnswer > t0 ? Math.round(plan.count / ((lastAnswer - t0) / 1000)) : 0,
    late,
    heldByCap,
    maxStartLagMs: +maxStartLagMs.toFixed(2),
    maxInFlightSeen,
  };
}
