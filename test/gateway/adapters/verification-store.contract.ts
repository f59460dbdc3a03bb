/**
 * One contract for every VerificationStore adapter (memory, Redis): the same tests, the same expectations.
 */
import { describe, expect, test } from 'vitest';
import { verificationId, verificationTag, verificationTagFor, type NewVerification, type VerificationStore } from '../../../gateway/ports/verification-store.ts';

const T0 = 1_780_000_000_000;
const TTL = 300_000;
const RETAIN = 86_400_000;

export function newVerification(overrides: Partial<NewVerification> = {}): NewVerification {
  const accountId = overrides.accountId ?? 'acct-a';
  const to = overrides.to ?? '+819012345678';
  return { id: verificationId(accountId, to), accountId, to, digest: 'd'.repeat(64), createdAt: T0, expiresAt: T0 + TTL, maxAttempts: 3, locale: 'ja', codeLength: 6, ...overrides };
}

/** `make` gives a fresh store whose clock reads `now()` (the memory adapter's retention reads it). */
export function verificationStoreContract(name: string, make: (now: () => number) => VerificationStore): void {
  describe(`VerificationStore contract: ${name}`, () => {
    test('ids carry the hash tag of their account and number', () => {
      const id = verificationId('acct-a', '+819012345678');
      expect(verificationTag(id)).toBe(verificationTagFor('acct-a', '+819012345678'));
      expect(verificationTag(verificationId('acct-a', '+819012345679'))).not.toBe(verificationTag(id));
    });

    test('open makes one pending verification per account and number; a second open answers the first', async () => {
      const store = make(() => T0);
      const first = await store.open(newVerification(), T0 + RETAIN);
      expect(first.opened).toBe(true);
      expect(first.record).toMatchObject({ status: 'pending', attempts: 0, sends: 0, messageIds: [], maxAttempts: 3, locale: 'ja', codeLength: 6 });
      const second = await store.open(newVerification({ digest: 'e'.repeat(64) }), T0 + RETAIN);
      expect(second).toMatchObject({ opened: false, record: { id: first.record.id, digest: 'd'.repeat(64) } });
      expect((await store.pending('acct-a', '+819012345678', T0 + 1))?.id).toBe(first.record.id);
      expect(await store.pending('acct-b', '+819012345678', T0 + 1)).toBeUndefined();
      expect((await store.open(newVerification({ accountId: 'acct-b' }), T0 + RETAIN)).opened).toBe(true);
    });

    test('an expired pending verification does not block a new one', async () => {
      const store = make(() => T0 + TTL);
      const first = await store.open(newVerification(), T0 + RETAIN);
      expect(await store.pending('acct-a', '+819012345678', T0 + TTL)).toBeUndefined();
      const next = await store.open(newVerification({ createdAt: T0 + TTL, expiresAt: T0 + 2 * TTL }), T0 + RETAIN);
      expect(next.opened).toBe(true);
      expect(next.record.id).not.toBe(first.record.id);
    });

    test('sends are counted with their messages; a new code replaces digest and expiry but never the attempts', async () => {
      const store = make(() => T0);
      const { record } = await store.open(newVerification(), T0 + RETAIN);
      await store.reserveAttempt(record.id, T0 + 10);
      expect(await store.sent(record.id, { at: T0 + 1, messageId: 'm-1' }, T0 + RETAIN)).toMatchObject({ sends: 1, lastSentAt: T0 + 1, messageIds: ['m-1'] });
      const renewed = await store.sent(record.id, { at: T0 + 60_000, messageId: 'm-2', code: { digest: 'f'.repeat(64), expiresAt: T0 + 60_000 + TTL } }, T0 + RETAIN);
      expect(renewed).toMatchObject({ sends: 2, messageIds: ['m-1', 'm-2'], digest: 'f'.repeat(64), expiresAt: T0 + 60_000 + TTL, attempts: 1 });
      expect((await store.get(record.id))?.digest).toBe('f'.repeat(64));
      await store.cancel(record.id, T0 + 70_000);
      expect(await store.sent(record.id, { at: T0 + 80_000, messageId: 'm-3' }, T0 + RETAIN)).toBeUndefined();
    });

    test('attempts: three are reserved, the fourth is refused; a wrong last attempt ends it max_attempts_reached', async () => {
      const store = make(() => T0);
      const { record } = await store.open(newVerification(), T0 + RETAIN);
      for (const n of [1, 2, 3]) {
        const attempt = await store.reserveAttempt(record.id, T0 + n);
        expect(attempt).toMatchObject({ reserved: true, record: { attempts: n, status: 'pending' } });
        expect(await store.settle(record.id, false, T0 + n)).toMatchObject({ won: false, record: { status: n < 3 ? 'pending' : 'max_attempts_reached' } });
      }
      expect(await store.reserveAttempt(record.id, T0 + 4)).toMatchObject({ reserved: false, record: { status: 'max_attempts_reached', attempts: 3 } });
    });

    test('approval wins once; later checks and cancels find it approved', async () => {
      const store = make(() => T0);
      const { record } = await store.open(newVerification(), T0 + RETAIN);
      expect((await store.reserveAttempt(record.id, T0 + 1))?.reserved).toBe(true);
      expect((await store.reserveAttempt(record.id, T0 + 2))?.reserved).toBe(true);
      expect(await store.settle(record.id, true, T0 + 3)).toMatchObject({ won: true, record: { status: 'approved', updatedAt: T0 + 3 } });
      expect(await store.settle(record.id, true, T0 + 4)).toMatchObject({ won: false, record: { status: 'approved' } });
      expect(await store.reserveAttempt(record.id, T0 + 5)).toMatchObject({ reserved: false, record: { status: 'approved' } });
      expect(await store.cancel(record.id, T0 + 6)).toBeUndefined();
      expect(await store.pending('acct-a', '+819012345678', T0 + 7)).toBeUndefined();
    });

    test('an attempt at or after the expiry ends it expired and takes nothing', async () => {
      const store = make(() => T0);
      const { record } = await store.open(newVerification(), T0 + RETAIN);
      expect(await store.reserveAttempt(record.id, T0 + TTL)).toMatchObject({ reserved: false, record: { status: 'expired', attempts: 0 } });
      expect((await store.get(record.id))?.status).toBe('expired');
    });

    test('cancel ends a pending verification; unknown ids answer undefined everywhere', async () => {
      const store = make(() => T0);
      const { record } = await store.open(newVerification(), T0 + RETAIN);
      expect(await store.cancel(record.id, T0 + 1)).toMatchObject({ status: 'canceled' });
      const unknown = verificationId('acct-a', '+819000000000');
      expect(await store.get(unknown)).toBeUndefined();
      expect(await store.reserveAttempt(unknown, T0)).toBeUndefined();
      expect(await store.settle(unknown, true, T0)).toBeUndefined();
      expect(await store.cancel(unknown, T0)).toBeUndefined();
      expect(await store.sent(unknown, { at: T0, messageId: 'm' }, T0 + RETAIN)).toBeUndefined();
    });

    test('racing checks: of 20 concurrent attempts exactly 3 are reserved, and of 3 racing approvals one wins', async () => {
      const store = make(() => T0);
      const { record } = await store.open(newVerification(), T0 + RETAIN);
      const attempts = await Promise.all(Array.from({ length: 20 }, (_, i) => store.reserveAttempt(record.id, T0 + i)));
      expect(attempts.filter((a) => a?.reserved === true)).toHaveLength(3);
      const settled = await Promise.all([1, 2, 3].map((i) => store.settle(record.id, true, T0 + 100 + i)));
      expect(settled.filter((s) => s?.won === true)).toHaveLength(1);
    });
  });
}

/** The statistics counts, for every adapter. */
export function verificationTallyContract(name: string, make: (now: () => number) => VerificationStore): void {
  describe(`VerificationStore tally contract: ${name}`, () => {
    test("counts add per account and day; a day with nothing counted has no counts; other accounts' stay apart", async () => {
      const store = make(() => T0);
      for (const tally of ['started', 'sent', 'sent', 'refused:velocity']) expect(await store.tally({ accountId: 'acct-a', day: '2026-12-06', name: tally })).toBe(true);
      await store.tally({ accountId: 'acct-a', day: '2026-12-07', name: 'approved' });
      await store.tally({ accountId: 'acct-b', day: '2026-12-06', name: 'started' });
      expect(await store.tallies('acct-a', ['2026-12-05', '2026-12-06', '2026-12-07'])).toEqual([
        { day: '2026-12-05', counts: {} },
        { day: '2026-12-06', counts: { started: 1, sent: 2, 'refused:velocity': 1 } },
        { day: '2026-12-07', counts: { approved: 1 } },
      ]);
      expect(await store.tallies('acct-b', ['2026-12-06'])).toEqual([{ day: '2026-12-06', counts: { started: 1 } }]);
      expect(await store.tallies('acct-c', [])).toEqual([]);
    });

    test('a tally with a once key counts once, however often and from however many callers it comes', async () => {
      const store = make(() => T0);
      const once = `${verificationId('acct-a', '+819012345678')}:expired:1:0`;
      const counted = await Promise.all(Array.from({ length: 10 }, () => store.tally({ accountId: 'acct-a', day: '2026-12-06', name: 'expired', once })));
      expect(counted.filter(Boolean)).toHaveLength(1);
      expect(await store.tally({ accountId: 'acct-a', day: '2026-12-06', name: 'expired', once: `${once}x` })).toBe(true);
      expect(await store.tallies('acct-a', ['2026-12-06'])).toEqual([{ day: '2026-12-06', counts: { expired: 2 } }]);
    });
  });
}

/** The expiry sweep, for every adapter. */
export function verificationSweepContract(name: string, make: (now: () => number) => VerificationStore): void {
  describe(`VerificationStore sweep contract: ${name}`, () => {
    test('the sweep ends each due pending verification once; approved, canceled and renewed ones are left', async () => {
      const store = make(() => T0);
      const due = await store.open(newVerification({ to: '+819000000001' }), T0 + RETAIN);
      const approved = await store.open(newVerification({ to: '+819000000002' }), T0 + RETAIN);
      const canceled = await store.open(newVerification({ to: '+819000000003' }), T0 + RETAIN);
      const renewed = await store.open(newVerification({ to: '+819000000004' }), T0 + RETAIN);
      await store.reserveAttempt(approved.record.id, T0 + 1);
      await store.settle(approved.record.id, true, T0 + 1);
      await store.cancel(canceled.record.id, T0 + 1);
      await store.sent(renewed.record.id, { at: T0 + 2, messageId: 'm', code: { digest: 'a'.repeat(64), expiresAt: T0 + 2 * TTL } }, T0 + RETAIN);
      expect(await store.expireDue(T0 + TTL - 1, 100)).toEqual([]);
      const swept = await store.expireDue(T0 + TTL, 100);
      expect(swept.map((r) => [r.id, r.status])).toEqual([[due.record.id, 'expired']]);
      expect(await store.expireDue(T0 + TTL, 100)).toEqual([]);
      expect((await store.get(renewed.record.id))?.status).toBe('pending');
      expect((await store.expireDue(T0 + 2 * TTL, 100)).map((r) => r.id)).toEqual([renewed.record.id]);
    });

    test('the sweep takes at most `limit` at a time and the rest next time', async () => {
      const store = make(() => T0);
      for (let i = 0; i < 5; i += 1) await store.open(newVerification({ to: `+81900000010${i}` }), T0 + RETAIN);
      expect(await store.expireDue(T0 + TTL, 3)).toHaveLength(3);
      expect(await store.expireDue(T0 + TTL, 3)).toHaveLength(2);
    });
  });
}
