/** The retry policy and the send window: a retry or failover that would go at night waits for the opening. */
import { describe, expect, test } from 'vitest';
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryContext } from '../../../gateway/dispatch/retry-policy.ts';

const NIGHT_START = Date.parse('2026-01-15T21:00:00+09:00');
const MORNING = Date.parse('2026-01-16T08:00:00+09:00');
/** Closed from 21:00 to 08:00 (the only night this test needs). */
const opening = (at: number): number | undefined => (at >= NIGHT_START && at < MORNING ? MORNING : undefined);
const base = (now: number, extra: Partial<RetryContext> = {}): RetryContext => ({ attempt: 0, connectors: ['a', 'b'], current: 'b', isUp: () => true, now, opening, ...extra });
const JITTER = (): number => 0.5;

describe('retries within the send window', () => {
  test('a backoff that ends before 21:00 is kept as it is', () => {
    const decision = decideRetry(DEFAULT_RETRY_POLICY, base(NIGHT_START - 60_000), JITTER);
    expect(decision).toMatchObject({ kind: 'retry', delayMs: 1_000 });
    expect(decision).not.toHaveProperty('deferredUntil');
  });

  test('a backoff from 20:59:50 landing at 21:00:10 waits until 08:00', () => {
    const now = NIGHT_START - 10_000;
    const decision = decideRetry({ maxAttempts: 5, baseDelayMs: 40_000, maxDelayMs: 40_000 }, base(now), JITTER);
    expect(decision).toEqual({ kind: 'retry', connectorId: 'a', attempt: 1, delayMs: MORNING - now, failover: true, deferredUntil: MORNING });
  });

  test('a failover at once after 21:00 waits too', () => {
    const decision = decideRetry(DEFAULT_RETRY_POLICY, base(NIGHT_START + 1_000, { current: 'a' }), JITTER);
    expect(decision).toMatchObject({ kind: 'retry', connectorId: 'b', failover: true, deferredUntil: MORNING, delayMs: MORNING - NIGHT_START - 1_000 });
  });

  test('when the validity ends before the window opens, the retry gives up with the validity', () => {
    expect(decideRetry(DEFAULT_RETRY_POLICY, base(NIGHT_START + 1_000, { current: 'a', expiresAt: MORNING - 1 }), JITTER)).toEqual({ kind: 'give-up', reason: 'validity' });
  });

  test('a hold (no connector up) is not moved: the dispatch guard checks the window when it goes', () => {
    expect(decideRetry(DEFAULT_RETRY_POLICY, base(NIGHT_START + 1_000, { isUp: () => false }), JITTER)).toEqual({ kind: 'hold', connectorId: 'b', attempt: 0 });
  });
});
