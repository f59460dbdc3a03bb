import { describe, expect, test } from 'vitest';
import { batchSizes, envelopeJson, messageId, seededRandom, statusEventJson } from '../../bench/client-bench-load.ts';
import { ClientBenchOptionError, parseKafkaClientOptions, parseRedisClientOptions } from '../../bench/client-bench-options.ts';
import { clearsCpuBar, compare, figures, formatComparison, median, medianFigures, type Measured } from '../../bench/client-bench-summary.ts';

describe('client bench load', () => {
  test('the same seed gives the same sequence, another seed another', () => {
    const a = seededRandom(18);
    const b = seededRandom(18);
    const c = seededRandom(19);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  test('batch sizes are 1..max, add up to the total exactly, and repeat for the same seed', () => {
    const sizes = batchSizes(200_000, 500, 18);
    expect(sizes.reduce((sum, n) => sum + n, 0)).toBe(200_000);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
    // Uniform over 1..500: about 250 on average, so about 800 sends.
    expect(sizes.length).toBeGreaterThan(700);
    expect(sizes.length).toBeLessThan(900);
    expect(batchSizes(200_000, 500, 18)).toEqual(sizes);
    expect(batchSizes(0, 500, 18)).toEqual([]);
    expect(batchSizes(3, 1, 1)).toEqual([1, 1, 1]);
    expect(() => batchSizes(10, 0, 1)).toThrow(RangeError);
  });

  test('message ids are UUID-shaped and distinct', () => {
    const ids = new Set(Array.from({ length: 1_000 }, (_, i) => messageId('abcdef12', i * 7_919)));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('a status event is JSON of about 600 bytes keyed to its message; an envelope about 330', () => {
    const id = messageId('abcdef12', 123_456);
    const event = statusEventJson(id, 123_456);
    expect(JSON.parse(event)).toMatchObject({ type: 'message.status', messageId: id, status: 'delivered', parts: [{ seq: 1 }] });
    expect(event.length).toBeGreaterThan(560);
    expect(event.length).toBeLessThan(660);
    const envelope = envelopeJson(id, 123_456);
    expect(JSON.parse(envelope)).toMatchObject({ id });
    expect(envelope.length).toBeGreaterThan(300);
    expect(envelope.length).toBeLessThan(380);
  });
});

describe('client bench options', () => {
  test('kafka defaults: both clients, 200,000 records, 3 runs, none and zstd, 16 senders of 1..500, 6 partitions', () => {
    expect(parseKafkaClientOptions([], {})).toEqual({
      clients: ['kafkajs', 'platformatic'],
      records: 200_000,
      runs: 3,
      warmup: 10_000,
      compressions: ['none', 'zstd'],
      senders: 16,
      maxBatch: 500,
      partitions: 6,
      brokers: undefined,
      json: false,
      help: false,
    });
  });

  test('kafka flags, and the broker list from the environment when no flag gives it', () => {
    const env = { BENCH_KAFKA_BROKERS: 'k1:9092' };
    expect(parseKafkaClientOptions(['--records', '1_000', '--compressions', 'lz4,none', '--clients', 'platformatic,kafkajs'], env)).toMatchObject({
      records: 1_000,
      compressions: ['lz4', 'none'],
      clients: ['platformatic', 'kafkajs'],
      brokers: 'k1:9092',
    });
    expect(parseKafkaClientOptions(['--brokers', 'k2:9092'], env).brokers).toBe('k2:9092');
  });

  test('redis defaults: both clients, 100,000 ops, 64 callers, 4 streams read 100 at a time, REDIS_URL', () => {
    expect(parseRedisClientOptions([], {})).toEqual({
      clients: ['ioredis', 'node-redis'],
      ops: 100_000,
      runs: 3,
      concurrency: 64,
      streams: 4,
      readCount: 100,
      url: 'redis://127.0.0.1:6379',
      json: false,
      help: false,
    });
    expect(parseRedisClientOptions([], { REDIS_URL: 'redis://r:1' }).url).toBe('redis://r:1');
    expect(parseRedisClientOptions(['--url', 'redis://s:2', '--ops', '500'], { REDIS_URL: 'redis://r:1' })).toMatchObject({ url: 'redis://s:2', ops: 500 });
  });

  const parsers = { kafka: parseKafkaClientOptions, redis: parseRedisClientOptions };
  test.each([
    ['kafka', ['--records', '0'], /--records must be an integer of at least 1/],
    ['kafka', ['--compressions', 'none,brotli'], /--compressions: unknown "brotli"/],
    ['kafka', ['--clients', ''], /--clients is empty/],
    ['kafka', ['--senders', '2.5'], /--senders must be an integer/],
    ['redis', ['--clients', 'ioredis,valkey'], /unknown "valkey"/],
    ['redis', ['--concurrency=-1'], /--concurrency must be an integer/],
    ['redis', ['--no-such-flag'], /Unknown option '--no-such-flag'/],
  ] as const)('%s %j is refused: %s', (bench, argv, message) => {
    const parse = () => parsers[bench]([...argv], {});
    expect(parse).toThrow(ClientBenchOptionError);
    expect(parse).toThrow(message);
  });
});

describe('client bench summary', () => {
  const run = (perSecond: number, cpuSecondsPer100k: number) => ({ perSecond, cpuSecondsPer100k });

  test('figures per run, and medians: the middle value, of an even count the mean of the middle two', () => {
    expect(figures(200_000, 10, 4)).toEqual({ perSecond: 20_000, cpuSecondsPer100k: 2 });
    expect(() => figures(0, 1, 1)).toThrow(RangeError);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
    // Each figure's own median: here from different runs.
    expect(medianFigures([run(10, 3), run(30, 1), run(20, 2), run(5, 9), run(40, 0.5)])).toEqual({ perSecond: 20, cpuSecondsPer100k: 2 });
  });

  const measured: Measured[] = [
    { phase: 'produce', variant: 'none', client: 'a', runs: [run(10_000, 6), run(12_000, 5), run(10_000, 7)] },
    { phase: 'produce', variant: 'none', client: 'b', runs: [run(20_000, 2), run(22_000, 3), run(18_000, 2.5)] },
    { phase: 'consume', variant: 'none', client: 'a', runs: [run(50_000, 1)] },
    { phase: 'consume', variant: 'none', client: 'b', runs: [run(40_000, 2)] },
    { phase: 'produce', variant: 'lz4', client: 'b', runs: [run(19_000, 2)] },
  ];

  test('compare gives the phases both clients ran, with the challenger over the incumbent', () => {
    const comparisons = compare(measured, 'a', 'b');
    expect(comparisons.map((c) => [c.phase, c.variant, c.perSecondRatio, c.cpuRatio])).toEqual([
      ['produce', 'none', 2, 2.4],
      ['consume', 'none', 0.8, 0.5],
    ]);
    expect(clearsCpuBar(comparisons)).toBe(false);
    expect(clearsCpuBar(comparisons.slice(0, 1))).toBe(true);
    expect(clearsCpuBar([])).toBe(false);
  });

  test('the tables give every measured row with its runs, and the ratios against the 1.3x bar', () => {
    const text = formatComparison(measured, 'a', 'b', 'records');
    expect(text).toContain('| produce | none    | b      | 20,000 (20,000, 22,000, 18,000) | 2.50 (2.00, 3.00, 2.50)');
    expect(text).toContain('| produce | lz4     | b      |');
    expect(text).toMatch(/\| produce \| none +\| 2\.00x +\| 2\.40x +\| cleared +\|/);
    expect(text).toMatch(/\| consume \| none +\| 0\.80x +\| 0\.50x +\| not cleared +\|/);
    expect(formatComparison(measured.slice(4), 'a', 'b', 'records')).not.toContain('CPU bar');
  });
});
