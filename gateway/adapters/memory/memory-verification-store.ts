/**
 * Verifications in this process (the embedded default), bounded: a recent-entries map holds at most `capacity`
 * verifications (the oldest go first) and each is dropped once past its retention. Statistics are kept for at most
 * `capacity` account-days (the least recently counted go first), and `once` keys for at most `capacity` tallies.
 */
import { RecentMap } from '../../../common/index.ts';
import {
  VERIFICATION_TALLY_ONCE_MS,
  type AttemptResult,
  type NewVerification,
  type OpenResult,
  type VerificationDayCounts,
  type VerificationRecord,
  type VerificationStore,
  type VerificationTally,
} from '../../ports/verification-store.ts';

interface Held {
  record: VerificationRecord;
  retainUntil: number;
}

export class MemoryVerificationStore implements VerificationStore {
  private readonly byId: RecentMap<string, Held>;
  /** `<account>\u0000<number>` to the id of its latest verification. */
  private readonly latest: RecentMap<string, string>;
  /** Pending verifications by id, to the expiry they were last given (the sweep's work list). */
  private readonly due = new Map<string, number>();
  /** `<account>\u0000<day>` to that day's counts. */
  private readonly days: RecentMap<string, Map<string, number>>;
  /** Tallies' `once` keys to when they are forgotten. */
  private readonly counted: RecentMap<string, number>;

  constructor(
    private readonly now: () => number = Date.now,
    capacity = 100_000,
  ) {
    this.byId = new RecentMap(capacity);
    this.latest = new RecentMap(capacity);
    this.days = new RecentMap(capacity);
    this.counted = new RecentMap(capacity);
  }

  tally(tally: VerificationTally): Promise<boolean> {
    if (tally.once !== undefined) {
      const now = this.now();
      const until = this.counted.get(tally.once);
      if (until !== undefined && now < until) return Promise.resolve(false);
      this.counted.set(tally.once, now + VERIFICATION_TALLY_ONCE_MS);
    }
    const key = indexKey(tally.accountId, tally.day);
    const counts = this.days.get(key) ?? new Map<string, number>();
    counts.set(tally.name, (counts.get(tally.name) ?? 0) + 1);
    // Set again each time: the day counted last stays longest.
    this.days.set(key, counts);
    return Promise.resolve(true);
  }

  tallies(accountId: string, days: readonly string[]): Promise<VerificationDayCounts[]> {
    return Promise.resolve(days.map((day) => ({ day, counts: Object.fromEntries(this.days.get(indexKey(accountId, day)) ?? []) })));
  }

  open(fresh: NewVerification, retainUntil: number): Promise<OpenResult> {
    const live = this.livePending(fresh.accountId, fresh.to, fresh.createdAt);
    if (live !== undefined) return Promise.resolve({ opened: false, record: live });
    const record: VerificationRecord = { ...fresh, status: 'pending', attempts: 0, sends: 0, lastSentAt: 0, messageIds: [], updatedAt: fresh.createdAt };
    this.byId.set(record.id, { record, retainUntil });
    this.latest.set(indexKey(record.accountId, record.to), record.id);
    this.due.set(record.id, record.expiresAt);
    return Promise.resolve({ opened: true, record });
  }

  get(id: string): Promise<VerificationRecord | undefined> {
    return Promise.resolve(this.held(id, this.now())?.record);
  }

  pending(accountId: string, to: string, now: number): Promise<VerificationRecord | undefined> {
    return Promise.resolve(this.livePending(accountId, to, now));
  }

  sent(id: string, send: { at: number; messageId: string; code?: { digest: string; expiresAt: number } }, retainUntil: number): Promise<VerificationRecord | undefined> {
    const held = this.held(id, send.at);
    if (held?.record.status !== 'pending') return Promise.resolve(undefined);
    const { record } = held;
    held.record = {
      ...record,
      sends: record.sends + 1,
      lastSentAt: send.at,
      messageIds: [...record.messageIds, send.messageId],
      updatedAt: send.at,
      ...(send.code === undefined ? {} : { digest: send.code.digest, expiresAt: send.code.expiresAt }),
    };
    held.retainUntil = Math.max(held.retainUntil, retainUntil);
    this.due.set(id, held.record.expiresAt);
    return Promise.resolve(held.record);
  }

  reserveAttempt(id: string, now: number): Promise<AttemptResult | undefined> {
    const held = this.held(id, now);
    if (held === undefined) return Promise.resolve(undefined);
    const { record } = held;
    if (record.status !== 'pending') return Promise.resolve({ reserved: false, record });
    if (now >= record.expiresAt) {
      this.due.delete(id);
      held.record = { ...record, status: 'expired', updatedAt: now };
      return Promise.resolve({ reserved: false, record: held.record });
    }
    if (record.attempts >= record.maxAttempts) return Promise.resolve({ reserved: false, record });
    held.record = { ...record, attempts: record.attempts + 1, updatedAt: now };
    return Promise.resolve({ reserved: true, record: held.record });
  }

  settle(id: string, approved: boolean, now: number): Promise<{ won: boolean; record: VerificationRecord } | undefined> {
    const held = this.held(id, now);
    if (held === undefined) return Promise.resolve(undefined);
    const { record } = held;
    if (record.status !== 'pending') return Promise.resolve({ won: false, record });
    if (approved) held.record = { ...record, status: 'approved', updatedAt: now };
    else if (record.attempts >= record.maxAttempts) held.record = { ...record, status: 'max_attempts_reached', updatedAt: now };
    if (held.record.status !== 'pending') this.due.delete(id);
    return Promise.resolve({ won: approved, record: held.record });
  }

  cancel(id: string, now: number): Promise<VerificationRecord | undefined> {
    const held = this.held(id, now);
    if (held?.record.status !== 'pending') return Promise.resolve(undefined);
    held.record = { ...held.record, status: 'canceled', updatedAt: now };
    this.due.delete(id);
    return Promise.resolve(held.record);
  }

  expireDue(now: number, limit: number): Promise<VerificationRecord[]> {
    const expired: VerificationRecord[] = [];
    for (const [id, expiresAt] of this.due) {
      if (expired.length >= limit) break;
      if (expiresAt > now) continue;
      this.due.delete(id);
      const held = this.held(id, now);
      if (held?.record.status !== 'pending' || held.record.expiresAt > now) continue;
      held.record = { ...held.record, status: 'expired', updatedAt: now };
      expired.push(held.record);
    }
    return Promise.resolve(expired);
  }

  private held(id: string, now: number): Held | undefined {
    const held = this.byId.get(id);
    if (held === undefined || now < held.retainUntil) return held;
    this.byId.delete(id);
    return undefined;
  }

  private livePending(accountId: string, to: string, now: number): VerificationRecord | undefined {
    const id = this.latest.get(indexKey(accountId, to));
    const record = id === undefined ? undefined : this.held(id, now)?.record;
    return record?.status === 'pending' && now < record.expiresAt ? record : undefined;
  }
}

function indexKey(accountId: string, to: string): string {
  return `${accountId}\u0000${to}`;
}
