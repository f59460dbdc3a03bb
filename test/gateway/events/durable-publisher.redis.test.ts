/**
 * The durable publisher against the real Redis outbox and a sink that fails on command: order is kept across a
 * failure (the failed batch and everything after it wait in the outbox, and nothing overtakes them), records go
 * straight to the sink again only once the outbox is empty, and the outbox limit refuses new work without
 * dropping records already handed over.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { DurablePublisher, RedisOutbox, redisKeys, type OutboundRecord, type Outbox, type RecordSink } from '../../../gateway/index.ts';
import { waitFor } from '../../support/wait-for.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';

const testKeys = redisTestKeys();
const { redis } = testKeys;

afterAll(() => testKeys.cleanup());

class SwitchableSink implements RecordSink {
  readonly received: OutboundRecord[] = [];
  up = true;
  send(records: readonly OutboundRecord[]): Promise<void> {
    if (!this.up) return Promise.reject(new Error('broker away'));
    this.received.push(...records);
    return Promise.resolve();
  }
}

function setUp(maxOutbox = 1_000): { sink: SwitchableSink; publisher: DurablePublisher; outbox: RedisOutbox } {
  const prefix = testKeys.prefix();
  const sink = new SwitchableSink();
  const outbox = new RedisOutbox(redis, redisKeys(prefix));
  const publisher = new DurablePublisher({ sink, outbox, owner: 'test', maxOutbox, relayEveryMs: 20, maxBatch: 7 });
  publisher.start();
  return { sink, publisher, outbox };
}

const record = (n: number): OutboundRecord => ({ topic: 'events', key: `m-${n % 3}`, value: JSON.stringify({ n }) });


describe('durable publisher', () => {
  let publisher: DurablePublisher | undefined;
  afterEach(async () => {
    await publisher?.close();
  });

  test('keeps the order across a failure and returns to direct sending once the outbox is empty', async () => {
    const setup = setUp();
    publisher = setup.publisher;
    const { sink, outbox } = setup;
    await publisher.publish([record(0), record(1)]);
    sink.up = false;
    const running = publisher;
    await Promise.all(Array.from({ length: 20 }, (_, i) => running.publish([record(i + 2)])));
    expect(publisher.direct).toBe(false);
    expect(await outbox.size()).toBe(20);
    expect(publisher.accepting).toBe(true);
    sink.up = true;
    // Published while the backlog is still there: must come after it.
    const late = publisher.publish([record(22)]);
    await late;
    await waitFor(async () => (await outbox.size()) === 0 && publisher?.direct === true, 'the outbox drained');
    await publisher.publish([record(23)]);
    expect(sink.received.map((r) => (JSON.parse(r.value) as { n: number }).n)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  test('a send Kafka leaves unanswered spills to the outbox in bounded time; a late answer only makes duplicates', async () => {
    const prefix = testKeys.prefix();
    const received: OutboundRecord[] = [];
    const unanswered: (() => void)[] = [];
    let hanging = true;
    let resets = 0;
    const sink: RecordSink = {
      reset() {
        resets += 1;
      },
      send(records) {
        if (!hanging) {
          received.push(...records);
          return Promise.resolve();
        }
        // A broker that took the connection and never answers: the batch stays open until told otherwise.
        return new Promise<void>((resolve) => {
          unanswered.push(() => {
            received.push(...records);
            resolve();
          });
        });
      },
    };
    const outbox = new RedisOutbox(redis, redisKeys(prefix));
    const fellBack: string[] = [];
    publisher = new DurablePublisher({ sink, outbox, owner: 'test', relayEveryMs: 20, maxBatch: 100, spillAfterMs: 50, observer: { fellBack: (reason) => fellBack.push(reason) } });
    publisher.start();
    const running = publisher;
    // Resolves only once each record is in Kafka or in the outbox: here, the outbox.
    await Promise.all(Array.from({ length: 5 }, (_, i) => running.publish([record(i)])));
    expect(fellBack).toEqual(['Kafka did not answer within 50 ms']);
    // The stuck connection is given up, so the relay's sends do not queue behind it.
    expect(resets).toBe(1);
    expect(publisher.direct).toBe(false);
    expect(await outbox.size()).toBe(5);
    // Kafka answers the spilled send after all, then comes back: the outbox goes to it again, in order.
    hanging = false;
    for (const answer of unanswered.splice(0)) answer();
    await waitFor(async () => (await outbox.size()) === 0 && publisher?.direct === true, 'the outbox drained');
    expect(received.map((r) => (JSON.parse(r.value) as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
  });

  test('at the outbox limit it stops accepting but still takes what it was handed', async () => {
    const setup = setUp(5);
    publisher = setup.publisher;
    setup.sink.up = false;
    await publisher.publish(Array.from({ length: 8 }, (_, i) => record(i)));
    expect(publisher.accepting).toBe(false);
    expect(await setup.outbox.size()).toBe(8);
    setup.sink.up = true;
    await waitFor(() => publisher?.accepting === true && publisher.direct, 'accepting again');
    expect(setup.sink.received).toHaveLength(8);
  });

  test('a publisher that cannot reach the outbox either rejects with a typed error, never silently', async () => {
    const sink = new SwitchableSink();
    sink.up = false;
    const away = (): Promise<never> => Promise.reject(new Error('redis away'));
    // Redis down: every outbox call fails.
    const broken: Outbox = { append: away, size: away, read: away, remove: away, lead: away };
    publisher = new DurablePublisher({ sink, outbox: broken, owner: 'test' });
    await expect(publisher.publish([record(1)])).rejects.toMatchObject({ code: 'GW_EVENTS_UNAVAILABLE' });
  });
});
