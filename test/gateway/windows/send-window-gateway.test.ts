/**
 * Send windows through the whole gateway on a loopback carrier, with the clock injected: what is accepted at 20:59
 * JST goes, what is accepted at 21:00 waits for 08:00 the next weekday (notBefore) and goes then; OTP is exempt; a
 * message whose validity ends first expires; a backlog that drains after 21:00 waits; a retry that would land at
 * night waits for the morning. "Not sent before" is read from the timeline's clock times, never from a sleep.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { failed } from '../../../drivers/loopback/index.ts';
import { submitStatusError } from '../../../drivers/smpp/index.ts';
import type { Gateway, MessageRecord } from '../../../gateway/index.ts';
import { waitFor } from '../../support/wait-for.ts';
import { jst, stopWindowGateway, windowGateway } from './window-gateway.ts';

afterEach(stopWindowGateway);

const SYSTEM_ERROR = failed(submitStatusError(0x08), { commandStatus: 0x08 });

const sendingTimes = (record: MessageRecord): number[] => record.timeline.filter((t) => t.event === 'sending').map((t) => t.at);

async function deferredCount(gw: Gateway, stage: string): Promise<number> {
  const metric = await gw.metrics.deferred.get();
  return metric.values.find((v) => v.labels.stage === stage)?.value ?? 0;
}

describe('send windows (memory backend)', () => {
  test('accepted at 20:59 JST on a weekday, the message goes at once', async () => {
    const { gw, carrier, status } = await windowGateway(jst('2026-01-15T20:59:00'));
    carrier.expectSend({ receipt: 'delivered' });
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'evening' });
    expect(accepted.status).toBe('queued');
    expect(accepted.notBefore).toBeUndefined();
    await status(accepted.id, 'delivered');
  });

  test('accepted at 21:00 JST it is scheduled for 08:00 the next weekday (notBefore) and sent when the clock gets there', async () => {
    const { gw, carrier, clock, status } = await windowGateway(jst('2026-01-15T21:00:00'));
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'tomorrow morning' });
    expect(accepted).toMatchObject({ status: 'scheduled', notBefore: new Date(jst('2026-01-16T08:00:00')).toISOString() });
    const stored = await gw.messages.get('demo', accepted.id);
    expect(stored.timeline.map((t) => t.event)).toEqual(['accepted', 'scheduled', 'deferred']);
    expect(stored.timeline.at(-1)).toMatchObject({ event: 'deferred', until: jst('2026-01-16T08:00:00'), detail: 'send window closed' });
    expect(await deferredCount(gw, 'accept')).toBe(1);
    clock.now = jst('2026-01-16T07:59:59');
    carrier.expectSend({ receipt: 'delivered' });
    clock.now = jst('2026-01-16T08:00:00');
    const record = await status(accepted.id, 'delivered');
    expect(sendingTimes(record)).toEqual([jst('2026-01-16T08:00:00')]);
    expect(carrier.sent()).toHaveLength(1);
  });

  test('a scheduleAt at night waits for the morning too; on Friday night the weekend rule (09:00 Saturday) applies', async () => {
    const { gw, carrier, clock, status } = await windowGateway(jst('2026-01-16T12:00:00'));
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'late schedule', scheduleAt: jst('2026-01-16T23:30:00') });
    expect(accepted).toMatchObject({ status: 'scheduled', notBefore: new Date(jst('2026-01-17T09:00:00')).toISOString() });
    carrier.expectSend({ receipt: 'delivered' });
    clock.now = jst('2026-01-17T09:00:00');
    const record = await status(accepted.id, 'delivered');
    expect(sendingTimes(record)).toEqual([jst('2026-01-17T09:00:00')]);
  });

  test('an OTP goes at night: the otp tag is exempt by default', async () => {
    const { gw, carrier, status } = await windowGateway(jst('2026-01-15T23:30:00'));
    carrier.expectSend({ receipt: 'delivered' });
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'code 123456', tag: 'otp' });
    expect(accepted.status).toBe('queued');
    expect(accepted.notBefore).toBeUndefined();
    await status(accepted.id, 'delivered');
  });

  test('a message whose validity ends before the window opens expires unsent at its validity end', async () => {
    const { gw, clock, status } = await windowGateway(jst('2026-01-15T21:00:00'));
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'short-lived', validitySeconds: 3600 });
    expect(accepted.status).toBe('scheduled');
    clock.now = jst('2026-01-15T22:00:00');
    const record = await status(accepted.id, 'expired');
    expect(record.parts.map((p) => p.status)).toEqual(['expired']);
    expect(record.timeline.at(-1)).toMatchObject({ event: 'expired', at: jst('2026-01-15T22:00:00') });
    expect(sendingTimes(record)).toEqual([]);
  });

  test('a backlog that drains after 21:00 (the link was down) waits for the morning: no attempt is counted', async () => {
    const { gw, carrier, clock, status } = await windowGateway(jst('2026-01-15T20:30:00'), { up: false });
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'stuck in the backlog' });
    expect(accepted.status).toBe('queued');
    clock.now = jst('2026-01-15T21:15:00');
    carrier.up();
    const deferred = await status(accepted.id, 'scheduled');
    expect(deferred.timeline.at(-1)).toMatchObject({ event: 'deferred', until: jst('2026-01-16T08:00:00'), at: jst('2026-01-15T21:15:00') });
    expect(await deferredCount(gw, 'dispatch')).toBe(1);
    carrier.expectSend({ receipt: 'delivered' });
    clock.now = jst('2026-01-16T08:00:00');
    const record = await status(accepted.id, 'delivered');
    expect(sendingTimes(record)).toEqual([jst('2026-01-16T08:00:00')]);
  });

  test('a retry at 20:59:50 that would land after 21:00 waits for 08:00, then goes', async () => {
    // A backoff of 10 to 20 s from 20:59:50 always lands at or after 21:00.
    const { gw, carrier, clock, status } = await windowGateway(jst('2026-01-15T20:59:50'), { retry: { maxAttempts: 5, baseDelayMs: 20_000, maxDelayMs: 20_000 } });
    carrier.expectSend({ answer: SYSTEM_ERROR });
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'retried in the morning' });
    const waiting = await waitFor(async () => {
      const record = await gw.messages.get('demo', accepted.id);
      return record.timeline.some((t) => t.event === 'deferred') ? record : undefined;
    }, 'retry deferred');
    expect(waiting.status).toBe('queued');
    expect(waiting.timeline.at(-1)).toMatchObject({ event: 'deferred', until: jst('2026-01-16T08:00:00'), detail: 'send window closed: the retry waits' });
    expect(await deferredCount(gw, 'retry')).toBe(1);
    clock.now = jst('2026-01-15T21:00:10');
    carrier.expectSend({ receipt: 'delivered' });
    clock.now = jst('2026-01-16T08:00:00');
    const record = await status(accepted.id, 'delivered');
    expect(sendingTimes(record)).toEqual([jst('2026-01-15T20:59:50'), jst('2026-01-16T08:00:00')]);
  });
});
