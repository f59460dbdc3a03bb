/**
 * The connector's timer paths on a manual clock, against an in-memory SMSC (memory-smsc.ts): submit timeout,
 * enquire_link, reconnect back-off, throttle pause, and a stalled sink that must not be taken for a dead peer.
 * Times are asserted on the clock, to the sweep's resolution (50 ms), and nothing waits on real time.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { SmppConnector } from '../../../drivers/smpp/index.ts';
import type { DriverSink, SendResult } from '../../../drivers/transport/index.ts';
import { connectorConfig, recordingSink, textRequest } from './harness.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { MemorySmsc } from './memory-smsc.ts';

const SWEEP_MS = 50;

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
});

async function setUp(overrides: Record<string, unknown> = {}, sink: DriverSink = recordingSink()) {
  const clock = new ManualClock();
  const smsc = new MemorySmsc(clock);
  const connector = new SmppConnector(connectorConfig(2775, overrides), { clock: { now: () => clock.now, schedule: clock.schedule }, connect: smsc.connect });
  const downs: string[] = [];
  connector.on('down', (_link, reason) => downs.push(reason));
  await connector.start(sink);
  await clock.advance(0);
  expect(connector.health().up).toBe(true);
  closers.push(async () => {
    const closed = connector.close();
    await clock.advance(10_000);
    await closed;
  });
  return { clock, smsc, connector, downs };
}

/** Starts a send and keeps its result when it comes. */
function sending(connector: SmppConnector, text: string): { result: SendResult | undefined } {
  const box: { result: SendResult | undefined } = { result: undefined };
  void connector.send(textRequest(text)).then((result) => {
    box.result = result;
  });
  return box;
}

describe('SMPP connector on a manual clock', () => {
  test('an unanswered submit is unknown at the submit timeout, not before; its late answer is ignored', async () => {
    const { clock, smsc, connector } = await setUp({ submitTimeoutMs: 1000 });
    smsc.submitPolicy = 'silent';
    const box = sending(connector, 'slow answer');
    await clock.advance(0);
    expect(smsc.count('submit_sm')).toBe(1);
    await clock.advance(1000 - SWEEP_MS);
    expect(box.result).toBeUndefined();
    await clock.advance(2 * SWEEP_MS);
    expect(box.result?.parts[0]).toMatchObject({ status: 'unknown', error: { code: 'SMPP_SUBMIT_TIMEOUT', retriable: true } });
    const late = smsc.unanswered[0];
    if (late !== undefined) smsc.answerSubmit(late.connection, late.sequence);
    await clock.advance(SWEEP_MS);
    expect(connector.health()).toMatchObject({ up: true, counters: { submitUnknown: 1, submitOk: 0 } });
  });

  test('enquire_link after the interval of silence; unanswered, the bind drops at the timeout and comes back after the back-off', async () => {
    const { clock, smsc, connector, downs } = await setUp({
      enquireLinkIntervalMs: 1000,
      enquireLinkTimeoutMs: 500,
      reconnect: { initialMs: 300, maxMs: 300, multiplier: 2, jitter: 0 },
    });
    smsc.answerEnquireLink = false;
    let downAt = 0;
    connector.on('down', () => {
      downAt = clock.now;
    });
    const boundAt = clock.now;
    await clock.advance(1000 + SWEEP_MS);
    const [enquire] = smsc.received.filter((pdu) => pdu.command === 'enquire_link');
    const sentAt = enquire?.at ?? 0;
    expect(sentAt - boundAt).toBeGreaterThanOrEqual(1000);
    expect(sentAt - boundAt).toBeLessThanOrEqual(1000 + SWEEP_MS);
    await clock.advance(sentAt + 500 - clock.now);
    expect(downs).toEqual([]);
    await clock.advance(SWEEP_MS);
    expect(downs[0]).toMatch(/^SMPP_ENQUIRE_LINK_TIMEOUT/);
    expect(downAt - sentAt).toBeGreaterThan(500);
    expect(downAt - sentAt).toBeLessThanOrEqual(500 + SWEEP_MS);
    await clock.advance(1000);
    const binds = smsc.received.filter((pdu) => pdu.command === 'bind_transceiver');
    expect(binds).toHaveLength(2);
    expect((binds[1]?.at ?? 0) - downAt).toBe(300);
    expect(connector.health().up).toBe(true);
  });

  test('a throttled part goes out again after pauseMs on the clock, then fails SMPP_THROTTLED after maxRetries', async () => {
    const { clock, smsc, connector } = await setUp({ throttle: { pauseMs: 400, maxRetries: 2 } });
    smsc.submitPolicy = 'throttle';
    const box = sending(connector, 'never let through');
    await clock.advance(0);
    expect(smsc.count('submit_sm')).toBe(1);
    await clock.advance(399);
    expect(smsc.count('submit_sm')).toBe(1);
    await clock.advance(5000);
    // Each attempt waits out the pause (and the lowered rate's next token): never sooner than pauseMs.
    const times = smsc.received.filter((pdu) => pdu.command === 'submit_sm').map((pdu) => pdu.at);
    expect(times).toHaveLength(3);
    for (const gap of times.slice(1).map((t, i) => t - (times[i] ?? 0))) expect(gap).toBeGreaterThanOrEqual(400);
    expect(box.result?.parts[0]).toMatchObject({ status: 'failed', error: { code: 'SMPP_THROTTLED', retriable: true, details: { retries: 2 } } });
    expect(connector.health().counters).toMatchObject({ throttled: 3, submitStatusESME_RTHROTTLED: 3, submitFailed: 1 });
  });

  test('a slow sink: reading stops at the bound, the silence is not taken for a dead peer, answers follow the sink', async () => {
    const releases: (() => void)[] = [];
    const rejections: (() => void)[] = [];
    const seen: string[] = [];
    const { clock, smsc, connector, downs } = await setUp(
      { inbound: { maxPendingPerBind: 2, sinkTimeoutMs: 10_000 }, enquireLinkIntervalMs: 50, enquireLinkTimeoutMs: 100 },
      {
        receipt: () => Promise.resolve(),
        inbound: (m) => {
          seen.push(m.text);
          return new Promise<void>((resolve, reject) => {
            releases.push(resolve);
            rejections.push(() => reject(new Error('store down')));
          });
        },
      },
    );
    for (const text of ['a', 'b', 'c', 'd']) smsc.deliver({ shortMessage: Buffer.from(text) });
    await clock.advance(0);
    expect(seen).toEqual(['a', 'b']);
    // Far beyond enquire_link's interval and timeout: a paused bind does not judge its peer.
    await clock.advance(2000);
    expect(downs).toEqual([]);
    expect(seen).toEqual(['a', 'b']);
    expect(connector.health().links[0]?.detail.readingPaused).toBe(true);
    expect(smsc.deliverStatuses()).toEqual([]);
    rejections[0]?.();
    await clock.advance(0);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(smsc.deliverStatuses()).toEqual([0x64]);
    releases[1]?.();
    releases[2]?.();
    await clock.advance(0);
    expect(seen).toHaveLength(4);
    releases[3]?.();
    await clock.advance(0);
    expect(smsc.deliverStatuses()).toEqual([0x64, 0, 0, 0]);
  });

  test('close() resolves as soon as the last part in flight is answered, without waiting for a sweep', async () => {
    const { clock, smsc, connector } = await setUp();
    smsc.submitPolicy = 'silent';
    const box = sending(connector, 'last words');
    await clock.advance(0);
    let closed = false;
    void connector.close().then(() => {
      closed = true;
    });
    await clock.advance(1000);
    expect(closed).toBe(false);
    const pending = smsc.unanswered[0];
    if (pending !== undefined) smsc.answerSubmit(pending.connection, pending.sequence);
    // No clock time passes: the answer itself releases the drain; the unbind exchange is in memory.
    await clock.advance(0);
    expect(box.result?.parts[0]?.status).toBe('submitted');
    expect(smsc.count('unbind')).toBe(1);
    expect(closed).toBe(true);
  });
});
