import { describe, expect, test } from 'vitest';
import { busyCores, cpuPerThousand, formatSummary, machineBudget, medianBy, pacedGoalMet, percentile, ratios, rssFlatness, runLabel, runName, spread, type SummaryRow } from '../../bench/bench-summary.ts';

const row = (mode: SummaryRow['mode'], deliveredPerSecond: number, cpuSecondsPerThousand: number): SummaryRow => ({
  mode,
  deliveredPerSecond,
  acceptLatencyMs: { p50: 5, p99: 20 },
  cpuSecondsPerThousand,
  rssMiB: { start: 100, afterWarmup: 120, peak: 150, end: 140 },
  loadAverage: { start: [1, 1, 1], end: [2, 1.5, 1] },
});

describe('bench arithmetic', () => {
  test('percentile is the nearest rank below; the median is a real item, the lower middle of an even count', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(6);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(percentile([], 50)).toBe(0);
    expect(medianBy([{ v: 3 }, { v: 1 }, { v: 2 }], (x) => x.v)).toEqual({ v: 2 });
    expect(medianBy([{ v: 4 }, { v: 1 }, { v: 3 }, { v: 2 }], (x) => x.v)).toEqual({ v: 2 });
  });

  test('RSS growth after warm-up: the highest reading since against the one at warm-up, 20% at most', () => {
    expect(rssFlatness(200, [210, 239, 230], 220)).toEqual({ baselineMiB: 200, maxMiB: 239, endMiB: 220, growthPercent: 19.5, withinGoal: true });
    expect(rssFlatness(200, [210, 220], 260)).toMatchObject({ maxMiB: 260, growthPercent: 30, withinGoal: false });
    // Falling below the warm-up level is not growth.
    expect(rssFlatness(200, [150], 180)).toMatchObject({ maxMiB: 200, growthPercent: 0, withinGoal: true });
  });

  test('spread keeps the first and the last', () => {
    expect(spread([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([0, 5, 10]);
    expect(spread([1, 2], 10)).toEqual([1, 2]);
  });

  test('ratios: the goals whose two sides were measured, met or not', () => {
    const rows = [row('embedded', 3_200, 0.34), row('redis', 4_400, 0.2), row('kannel-memory', 1_000, 0.3), row('kannel-store', 2_000, 0.4)];
    expect(ratios(rows)).toEqual([
      { gateway: 'redis', label: 'Redis', kannel: 'kannel-store', ratio: 2.2, atLeast: 2, met: true, neededPerSecond: 4_000 },
      { gateway: 'embedded', label: 'embedded', kannel: 'kannel-memory', ratio: 3.2, atLeast: 3, met: true, neededPerSecond: 3_000 },
    ]);
    expect(ratios([row('kafka', 1_016, 0.96), row('kannel-store', 2_127, 0.45)])).toEqual([
      { gateway: 'kafka', label: 'Redis + Kafka', kannel: 'kannel-store', ratio: 0.48, atLeast: 1.5, met: false, neededPerSecond: 3_191 },
    ]);
    expect(ratios([row('kafka', 1_016, 0.96)])).toEqual([]);
  });

  test('CPU per 1,000 by process: the difference of two readings, for the processes read both times', () => {
    const start = { gateway: 10, loadGenerator: 4, simulator: 1, redis: 100 };
    const end = { gateway: 14.1, loadGenerator: 5.3, simulator: 1.5 };
    expect(cpuPerThousand(start, end, 20_000)).toEqual({ gateway: 0.205, loadGenerator: 0.065, simulator: 0.025 });
    expect(cpuPerThousand(start, end, 0)).toEqual({});
  });

  test('the machine ceiling: the cores over every process`s CPU per message, and again with the gateway at its goal', () => {
    const budget = machineBudget({ gateway: 0.2, loadGenerator: 0.07, simulator: 0.03 }, 2, 0.1);
    expect(budget).toEqual({ perThousand: { gateway: 0.2, loadGenerator: 0.07, simulator: 0.03 }, totalPerThousand: 0.3, cores: 2, ceilingPerSecond: 6_666, ceilingAtGoalPerSecond: 10_000 });
    // Kannel's rows have no goal, and a run with nothing measured has no ceiling rather than an infinite one.
    expect(machineBudget({ bearerbox: 0.2, smsbox: 0.2 }, 2)).toEqual({ perThousand: { bearerbox: 0.2, smsbox: 0.2 }, totalPerThousand: 0.4, cores: 2, ceilingPerSecond: 5_000 });
    expect(machineBudget({}, 2, 0.1).ceilingPerSecond).toBe(0);
  });

  test('a ratio goal as a rate, against the gateway run`s ceiling at its CPU goal', () => {
    const embedded = { ...row('embedded', 5_000, 0.2), machine: machineBudget({ gateway: 0.2, loadGenerator: 0.07, simulator: 0.03 }, 2, 0.1) };
    const [verdict] = ratios([embedded, row('kannel-memory', 3_500, 0.36)]);
    // 2 cores at 10,500/s leave 0.190 s per 1,000 in all, 0.100 of it taken by the load generator and the simulator.
    expect(verdict).toMatchObject({ ratio: 1.43, met: false, neededPerSecond: 10_500, ceilingAtGoalPerSecond: 10_000, gatewayRoomPerThousand: 0.09 });
    const kafka = { ...row('kafka', 2_000, 0.4), machine: machineBudget({ gateway: 0.4, loadGenerator: 0.07, simulator: 0.04, redis: 0.14, kafkaBroker: 0.19 }, 2, 0.25) };
    const [full] = ratios([kafka, row('kannel-store', 3_200, 0.44)]);
    expect(full).toMatchObject({ neededPerSecond: 4_800, ceilingAtGoalPerSecond: 2_898, gatewayRoomPerThousand: -0.023 });
    expect(formatSummary([kafka, row('kannel-store', 3_200, 0.44)], { messages: 1, concurrency: 1, kannelRuns: 1 })).toContain('| no (2,898) ');
    expect(formatSummary([kafka, row('kannel-store', 3_200, 0.44)], { messages: 1, concurrency: 1, kannelRuns: 1 })).toContain('none: the other processes alone fill the cores');
    const text = formatSummary([embedded, { ...row('kannel-memory', 3_500, 0.36), machine: machineBudget({ bearerbox: 0.2, smsbox: 0.16, loadGenerator: 0.1, simulator: 0.03 }, 2) }], {
      messages: 20_000,
      concurrency: 64,
      kannelRuns: 1,
    });
    expect(text).toMatch(/\| embedded +\| 0\.200 +\| - +\| - +\| 0\.070 +\| 0\.030 +\| 0\.300 \| 2 +\| 6,666 +\| 10,000 +\|/);
    expect(text).toMatch(/\| Kannel, queue in memory +\| - +\| 0\.200 +\| 0\.160 +\| 0\.100 +\| 0\.030 +\| 0\.490 +\| 2 +\| 4,081 +\| - +\|/);
    expect(text).toMatch(/\| embedded \/ Kannel, queue in memory \| 1\.43x +\| >= 3x \| not met \| 10,500 +\| no \(10,000\) +\| 0\.090 +\|/);
  });

  test('a mode run once per worker count gets a ratio per run, each under its own name', () => {
    const rows = [{ ...row('redis', 4_000, 0.2), workers: 1, label: 'Redis ×1' }, { ...row('redis', 5_000, 0.25), workers: 2, label: 'Redis ×2' }, row('kannel-store', 2_000, 0.4)];
    expect(ratios(rows).map((v) => [v.label, v.ratio, v.met])).toEqual([
      ['Redis ×1', 2, true],
      ['Redis ×2', 2.5, true],
    ]);
  });

  test('run names carry the worker count only when the modes ran once per count; embedded never does', () => {
    expect([runName('redis', 1, [1]), runName('redis', 2, [1, 2]), runName('kafka', 1, [1, 2]), runName('kafka', 4, [4]), runName('embedded', 1, [1, 2])]).toEqual([
      'redis',
      'redis×2',
      'kafka×1',
      'kafka×4',
      'embedded',
    ]);
    expect([runLabel('redis', 1, [1]), runLabel('kafka', 2, [1, 2])]).toEqual(['Redis', 'Redis + Kafka ×2']);
  });

  test('the paced goal applies to the kafka mode at 2,000/s or more: p99 strictly under 25 ms', () => {
    expect(pacedGoalMet('kafka', 2_000, 24.9)).toBe(true);
    expect(pacedGoalMet('kafka', 3_000, 25)).toBe(false);
    expect(pacedGoalMet('kafka', 1_999, 5)).toBeUndefined();
    expect(pacedGoalMet('redis', 2_000, 5)).toBeUndefined();
  });

  test('the paced table: rate, achieved rate, late starts, the four percentiles and the goal where it applies', () => {
    const paced = (p99: number, goalMet?: boolean) => ({
      rate: 2_000,
      achievedPerSecond: 1_987,
      late: 12,
      messages: 20_000,
      acceptLatencyMs: { p50: 4.21, p95: 9.5, p99, max: 80 },
      deliveredPerSecond: 1_950,
      cpuSecondsPerThousand: 0.31,
      busyCores: busyCores({ gateway: 0.31, loadGenerator: 0.07, simulator: 0.04, redis: 0.14, kafkaBroker: 0.19 }, 1_950),
      ...(goalMet === undefined ? {} : { goalMet }),
    });
    const text = formatSummary(
      [
        { ...row('redis', 4_000, 0.2), workers: 2, label: 'Redis ×2', paced: paced(12) },
        { ...row('kafka', 3_000, 0.3), workers: 1, label: 'Redis + Kafka ×1', paced: paced(31.25, false) },
      ],
      { messages: 20_000, concurrency: 64, kannelRuns: 3, rate: 2_000 },
    );
    expect(text).toContain('20,000 messages per phase, 64 in flight; paced phase at 2,000/s.');
    expect(text).toMatch(/\| Redis ×2 +\| 2 +\| 4,000 /);
    expect(text).toMatch(/\| Redis ×2 +\| 2,000 +\| 1,987 +\| 12 of 20,000 \| 4\.2 \/ 9\.5 \/ 12\.0 \/ 80\.0 +\| 1,950 +\| 0\.310 +\| 0\.60 \/ 1\.46 +\| - \(kafka mode at >= 2,000\/s\)/);
    expect(text).toMatch(/\| Redis \+ Kafka ×1 +\| 2,000 .*\/ 31\.3 \/ 80\.0 .*\| not met +\|/);
  });

  test('the closing table gives every mode, the CPU goals, the RSS check and the ratios', () => {
    const text = formatSummary(
      [
        { ...row('embedded', 3_200, 0.34), batchDeliveredPerSecond: 7_574, rssAfterWarmup: rssFlatness(120, [130], 140) },
        { ...row('kannel-memory', 2_349, 0.36), runsDeliveredPerSecond: [2_300, 2_349, 2_400] },
      ],
      { messages: 20_000, concurrency: 64, kannelRuns: 3 },
    );
    expect(text).toContain('20,000 messages per phase, 64 in flight; Kannel: median of 3 runs by delivered/s.');
    expect(formatSummary([row('redis', 1_443, 0.67)], { messages: 500, concurrency: 8, kannelRuns: 3 })).toContain('500 messages per phase, 8 in flight.\n');
    expect(text).toMatch(/\| embedded +\| - +\| 3,200 +\| 7,574 +\| 5\.0 \/ 20\.0 +\| 0\.340 \(goal <= 0\.10: not met\)/);
    expect(text).toMatch(/\| Kannel, queue in memory \| - +\| 2,349 \(runs: 2,300, 2,349, 2,400\) \| - +\|.*0\.360 \(both boxes\)/);
    expect(text).toMatch(/\| embedded +\| 120 +\| 140 +\| 140 +\| 16\.7% +\| met/);
    expect(text).toMatch(/\| embedded \/ Kannel, queue in memory \| 1\.36x +\| >= 3x \| not met/);
  });
});
