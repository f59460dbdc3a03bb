import { describe, expect, test } from 'vitest';
import { LATE_AFTER_MS, sendPaced, type PacedClock } from '../../bench/paced-sender.ts';

/**
 * Time moves only when the sender sleeps or a request says it took some. A sleep ends after the answers already
 * in (like a timer, after the pending promise callbacks), then moves the time on.
 */
function fakeClock(): PacedClock & { t: number } {
  const clock = {
    t: 1_000,
    now: () => clock.t,
    sleep: (ms: number) =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          clock.t += ms;
          resolve();
        }),
      ),
  };
  return clock;
}

describe('open-loop sending', () => {
  test('requests start on the schedule, whatever the answers do: i / rate seconds after the first', () => {
    const clock = fakeClock();
    const starts: number[] = [];
    return sendPaced({ count: 5, rate: 250, maxInFlight: 10 }, (i) => {
      starts[i] = clock.t - 1_000;
      return Promise.resolve();
    }, clock).then((result) => {
      expect(starts).toEqual([0, 4, 8, 12, 16]);
      expect(result).toMatchObject({ late: 0, heldByCap: 0, maxStartLagMs: 0, latencies: [0, 0, 0, 0, 0] });
    });
  });

  test('slow answers do not hold the next start back while slots are free', async () => {
    const clock = fakeClock();
    const pending: (() => void)[] = [];
    const starts: number[] = [];
    const result = sendPaced({ count: 4, rate: 100, maxInFlight: 4 }, (i) => {
      starts[i] = clock.t - 1_000;
      return new Promise<void>((resolve) => pending.push(resolve));
    }, clock);
    while (pending.length < 4) await new Promise((r) => setImmediate(r));
    // All four started 10 ms apart before any answer came.
    expect(starts).toEqual([0, 10, 20, 30]);
    clock.t += 5;
    for (const answer of pending) answer();
    const { latencies, late, maxInFlightSeen } = await result;
    // Each measured from its own scheduled start: answered at 35 ms.
    expect(latencies).toEqual([5, 15, 25, 35]);
    expect([late, maxInFlightSeen]).toEqual([0, 4]);
  });

  test('at the in-flight cap a due request waits, counts as late, and its latency runs from its scheduled start', async () => {
    const clock = fakeClock();
    // One in flight, each answer 30 ms after its start, a start due every 10 ms: each falls further behind.
    const result = await sendPaced({ count: 4, rate: 100, maxInFlight: 1 }, () => {
      clock.t += 30;
      return Promise.resolve();
    }, clock);
    // Request i starts at 30i (due 10i) and is answered at 30(i + 1).
    expect(result.latencies).toEqual([30, 50, 70, 90]);
    expect(result).toMatchObject({ late: 3, heldByCap: 3, maxStartLagMs: 60, maxInFlightSeen: 1, achievedPerSecond: Math.round(4 / 0.12) });
  });

  test(`a start up to ${LATE_AFTER_MS} ms behind is on time`, async () => {
    const clock = fakeClock();
    const lagged: PacedClock = { now: () => clock.now(), sleep: (ms) => clock.sleep(ms + LATE_AFTER_MS) };
    const result = await sendPaced({ count: 3, rate: 100, maxInFlight: 5 }, () => Promise.resolve(), lagged);
    expect(result.late).toBe(0);
    expect(result.maxStartLagMs).toBe(LATE_AFTER_MS);
  });

  test('a refused request fails the phase with its error', async () => {
    const clock = fakeClock();
    await expect(sendPaced({ count: 3, rate: 100, maxInFlight: 2 }, (i) => (i === 1 ? Promise.reject(new Error('POST answered 503')) : Promise.resolve()), clock)).rejects.toThrow('POST answered 503');
  });
});
