import { describe, expect, test } from 'vitest';
import { BenchOptionError, parseBenchOptions, parseDuration } from '../../bench/bench-options.ts';

describe('npm run bench options', () => {
  test('defaults: every mode, the gateway first, 20,000 messages after 20,000 to warm up, 64 in flight, both phases, Kannel median of 3', () => {
    const o = parseBenchOptions([], {});
    expect(o).toMatchObject({
      modes: ['embedded', 'redis', 'kafka', 'kannel-memory', 'kannel-store'],
      defaultModes: true,
      messages: 20_000,
      concurrency: 64,
      warmup: 20_000,
      phases: ['singles', 'batch'],
      rate: undefined,
      workers: [1],
      rssSampleMs: 1_000,
      printSamples: false,
      kannelRuns: 3,
      heapGrowth: undefined,
      json: false,
    });
  });

  test("--heap-growth is passed to the gateway's serve, checked as serve checks it", () => {
    expect(parseBenchOptions(['--heap-growth', '0'], {}).heapGrowth).toBe(0);
    expect(parseBenchOptions(['--heap-growth', '150'], {}).heapGrowth).toBe(150);
  });

  test('the BENCH_* variables still apply, and flags win over them', () => {
    const env = { BENCH_MESSAGES: '500', BENCH_CONCURRENCY: '8', BENCH_MODES: 'redis', BENCH_KAFKA_BROKERS: 'k:9092', BENCH_CPU_PROF: '/tmp/p' };
    expect(parseBenchOptions([], env)).toMatchObject({ messages: 500, concurrency: 8, modes: ['redis'], defaultModes: false, kafkaBrokers: 'k:9092', cpuProfDir: '/tmp/p' });
    expect(parseBenchOptions(['--messages', '1_000_000', '--concurrency', '16', '--modes', 'embedded'], env)).toMatchObject({ messages: 1_000_000, concurrency: 16, modes: ['embedded'] });
  });

  test("Kannel's modes run after the gateway's, whatever order they were given in", () => {
    expect(parseBenchOptions(['--modes', 'kannel-store,kafka,kannel-memory,embedded'], {}).modes).toEqual(['kafka', 'embedded', 'kannel-store', 'kannel-memory']);
  });

  test('--rss-sample takes a duration and prints samples as they come', () => {
    expect(parseBenchOptions(['--rss-sample', '5s'], {})).toMatchObject({ rssSampleMs: 5_000, printSamples: true });
    expect([parseDuration('x', '500ms'), parseDuration('x', '2'), parseDuration('x', '1m'), parseDuration('x', '1.5s')]).toEqual([500, 2_000, 60_000, 1_500]);
  });

  test('--rate adds the paced phase when --phases is not given; BENCH_RATE too', () => {
    expect(parseBenchOptions(['--rate', '2_000'], {})).toMatchObject({ rate: 2_000, phases: ['singles', 'batch', 'paced'] });
    expect(parseBenchOptions([], { BENCH_RATE: '500' })).toMatchObject({ rate: 500, phases: ['singles', 'batch', 'paced'] });
    expect(parseBenchOptions(['--rate', '1000', '--phases', 'paced,singles'], {})).toMatchObject({ rate: 1_000, phases: ['paced', 'singles'] });
  });

  test('--workers takes one count or a list, each a run of the redis and kafka modes; BENCH_WORKERS too', () => {
    expect(parseBenchOptions(['--workers', '2', '--modes', 'redis'], {}).workers).toEqual([2]);
    expect(parseBenchOptions(['--workers', '1, 2,2', '--modes', 'embedded,kafka'], {}).workers).toEqual([1, 2]);
    expect(parseBenchOptions(['--modes', 'redis'], { BENCH_WORKERS: '4' }).workers).toEqual([4]);
    expect(parseBenchOptions(['--workers', '1', '--modes', 'embedded'], {}).workers).toEqual([1]);
  });

  test.each([
    [['--rate', '0'], /--rate must be an integer of at least 1/],
    [['--rate', '2k'], /--rate must be an integer/],
    [['--phases', 'singles,paced'], /--phases paced needs --rate/],
    [['--rate', '1000', '--phases', 'singles'], /--rate applies to the paced phase, which --phases leaves out/],
    [['--workers', '0'], /--workers must be an integer of at least 1/],
    [['--workers', '1,two'], /--workers must be an integer of at least 1, got "two"/],
    [['--workers', ','], /--workers is empty/],
    [['--workers', '300', '--modes', 'redis'], /--workers must be at most 256/],
    [['--workers', '2', '--modes', 'embedded,kannel-store'], /--workers above 1 needs the redis or kafka mode/],
    [['--modes', 'embedded,postgres'], /--modes: unknown "postgres"/],
    [['--messages', '0'], /--messages must be an integer of at least 1/],
    [['--messages', '1e5'], /--messages must be an integer/],
    [['--concurrency=-3'], /--concurrency must be an integer/],
    [['--rss-sample', 'often'], /--rss-sample must be a duration/],
    [['--rss-sample', '10ms'], /at least 100ms/],
    [['--phases', 'batch,bulk'], /--phases: unknown "bulk"/],
    [['--kannel-runs', '0'], /--kannel-runs must be an integer of at least 1/],
    [['--heap-growth', '5'], /--heap-growth must be 0 or a whole percent from 10 to 300, not "5"/],
    [['--no-such-flag'], /Unknown option '--no-such-flag'/],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseBenchOptions(argv, {})).toThrow(BenchOptionError);
    expect(() => parseBenchOptions(argv, {})).toThrow(message);
  });
});
