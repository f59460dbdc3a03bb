/**
 * Verifications (one-time codes by SMS) and their attempt counting. A check is two steps so the code's HMAC is
 * compared in this process, in constant time, while the counting stays atomic in the store: `reserveAttempt` takes
 * one attempt (or answers why none is left), the service compares, then `settle` approves (only the first of
 * racing correct checks wins) or, after the last wrong attempt, ends the verification. Two processes sharing a
 * Redis store therefore never allow more attempts than configured, and approve at most once.
 * The store also keeps the statistics of each account's verifications, one set of named counts per local day
 * (`tally`, `tallies`; see verification-stats.ts for the names and why they are counted here).
 * Adapters: memory (bounded, the embedded default) and Redis (with TTLs); one contract suite runs against both.
 */
import { createHash, randomBytes } from 'node:crypto';

export const VERIFICATION_STATUSES = ['pending', 'approved', 'canceled', 'expired', 'max_attempts_reached'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/**
 * A verification id starts with 8 hex characters drawn from its account and number, so a Redis Cluster keeps a
 * verification and its (account, number) index on one slot (one hash tag) and the open script stays atomic.
 */
export function verificationId(accountId: string, to: string): string {
  return `${verificationTagFor(accountId, to)}${randomBytes(12).toString('base64url')}`;
}

/** The hash tag every verification of (account, number) carries. */
export function verificationTagFor(accountId: string, to: string): string {
  return createHash('sha256').update(`${accountId}\u0000${to}`, 'utf8').digest('hex').slice(0, 8);
}

/** The hash tag part of a verification id (the store keys both the record and the index by it). */
export function verificationTag(id: string): string {
  return id.slice(0, 8);
}

export interface VerificationRecord {
  readonly id: string;
  readonly accountId: string;
  /** E.164 with `+`. */
  readonly to: string;
  readonly status: VerificationStatus;
  /** HMAC of the current code (never the code). */
  readonly digest: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When the current code stops being accepted (epoch ms). */
  readonly expiresAt: number;
  readonly maxAttempts: number;
  /** Attempts used. */
  readonly attempts: number;
  /** Codes sent (the first send and each resend). */
  readonly sends: number;
  readonly lastSentAt: number;
  /** The messages that carried the code, oldest first. */
  readonly messageIds: readonly string[];
  readonly locale: string;
  readonly codeLength: number;
  readonly clientRef?: string;
}

/** What a new verification is opened with. */
export type NewVerification = Omit<VerificationRecord, 'status' | 'attempts' | 'sends' | 'lastSentAt' | 'messageIds' | 'updatedAt'>;

export type OpenResult =
  | { readonly opened: true; readonly record: VerificationRecord }
  /** A verification for the same account and number is still pending: the caller renews it instead. */
  | { readonly opened: false; readonly record: VerificationRecord };

export type AttemptResult =
  /** One attempt is taken; `record.attempts` counts it. */
  | { readonly reserved: true; readonly record: VerificationRecord }
  /** No attempt is left or the verification is not pending (it is now `expired` when its time ran out). */
  | { readonly reserved: false; readonly record: VerificationRecord };

/** One count to add to an account's statistics of a day. */
export interface VerificationTally {
  readonly accountId: string;
  /** The local day (`YYYY-MM-DD`, in the usage time zone) it counts in. */
  readonly day: string;
  /** What is counted (`started`, `approved`, `refused:velocity`, ...). */
  readonly name: string;
  /**
   * What is counted once: a second tally with the same key (the same step told twice, by two processes or two
   * racing checks) adds nothing. Without one the tally always counts (a refusal happens once per request).
   */
  readonly once?: string;
}

export interface VerificationDayCounts {
  readonly day: string;
  /** The day's counts by name (absent names are zero). */
  readonly counts: Readonly<Record<string, number>>;
}

/** Days of statistics are kept a little over a year (a range covers at most 366 days). */
export const VERIFICATION_STATS_KEEP_DAYS = 400;
/** How long a tally's `once` key is remembered: the same step is told twice within seconds, if ever. */
export const VERIFICATION_TALLY_ONCE_MS = 2 * 86_400_000;

export interface VerificationStore {
  /**
   * Opens a verification unless the account already has a pending, unexpired one for the number (answered instead,
   * so two concurrent starts make one verification). Kept readable until `retainUntil`.
   */
  open(record: NewVerification, retainUntil: number): Promise<OpenResult>;
  get(id: string): Promise<VerificationRecord | undefined>;
  /** The account's pending verification for the number, if any. */
  pending(accountId: string, to: string, now: number): Promise<VerificationRecord | undefined>;
  /**
   * A code went out for a pending verification: counts the send and its message; with `code` the verification
   * takes a new code and expiry. Attempts count over the whole verification, never again from zero: a resend
   * must not buy more guesses. Undefined when it is no longer pending.
   */
  sent(id: string, send: { readonly at: number; readonly messageId: string; readonly code?: { readonly digest: string; readonly expiresAt: number } }, retainUntil: number): Promise<VerificationRecord | undefined>;
  reserveAttempt(id: string, now: number): Promise<AttemptResult | undefined>;
  /**
   * After a reserved attempt was compared: `approved` ends it approved if it is still pending (false when another
   * check approved it first); a wrong code ends it `max_attempts_reached` when it was the last attempt.
   */
  settle(id: string, approved: boolean, now: number): Promise<{ readonly won: boolean; readonly record: VerificationRecord } | undefined>;
  /** Ends a pending verification `canceled`; undefined when there is none. */
  cancel(id: string, now: number): Promise<VerificationRecord | undefined>;
  /**
   * Ends `expired` up to `limit` pending verifications whose code expired by `now` and answers them (each once,
   * even with several processes sweeping), so the expiry goes out as an event without anyone checking.
   */
  expireDue(now: number, limit: number): Promise<VerificationRecord[]>;
  /** Adds one to a count of the account's day unless `once` was counted already; true when this call counted. */
  tally(tally: VerificationTally): Promise<boolean>;
  /** The account's counts of each day asked for, in that order (days with nothing counted have no counts). */
  tallies(accountId: string, days: readonly string[]): Promise<VerificationDayCounts[]>;
}
