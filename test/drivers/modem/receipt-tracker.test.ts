import { describe, expect, test } from 'vitest';
import { ReceiptTracker } from '../../../drivers/modem/receipt-tracker.ts';

describe('ReceiptTracker', () => {
  const part = { carrierMessageId: 'imei:7:abc', to: '+819012345678', submittedAt: 1000 };

  test('matches by TP-MR and recipient, keeps the entry for intermediate reports, drops it after the final one', () => {
    const tracker = new ReceiptTracker(60_000);
    tracker.record(7, part);
    expect(tracker.match(7, '+819012345678', false, 2000)).toEqual({ matched: true, part });
    expect(tracker.match(7, '09012345678', true, 3000)).toEqual({ matched: true, part });
    expect(tracker.match(7, '+819012345678', true, 4000)).toEqual({ matched: false, reason: 'unknown-reference' });
  });

  test.each([
    [8, '+819012345678', 2000, 'unknown-reference'],
    [7, '+447700900123', 2000, 'recipient-mismatch'],
    [7, '+819012345678', 70_000, 'expired'],
  ])('report MR %i to %s at %i: %s', (mr, to, now, reason) => {
    const tracker = new ReceiptTracker(60_000);
    tracker.record(7, part);
    expect(tracker.match(mr, to, true, now)).toEqual({ matched: false, reason });
  });

  test('holds at most one entry per TP-MR: the newest part under a reused reference wins', () => {
    const tracker = new ReceiptTracker(60_000);
    for (let i = 0; i < 600; i++) tracker.record(i, { ...part, carrierMessageId: `id-${i}` });
    expect(tracker.size).toBe(256);
    expect(tracker.match(7, part.to, true, 2000)).toMatchObject({ matched: true, part: { carrierMessageId: 'id-519' } });
  });
});
