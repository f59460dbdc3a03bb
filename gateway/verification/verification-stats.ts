/**
 * Statistics of an account's verifications per local day (in the usage time zone): verifications started, codes
 * sent, checks approved or wrong, verifications that ended max_attempts_reached, expired or canceled, and starts
 * refused before a code went out, by reason. Never a code, a digest or a number.
 *
 * Where they are counted, and why there: in the verification store, beside the records, by the service after each
 * stored step. Metrics (`smsgw_verifications_total`) are per process and restart from zero, and the usage store
 * counts messages (a verification's code is one of them), so neither gives per-account days that hold across
 * processes and restarts. Each step is answered by the store to exactly one caller (one wins an approval, one
 * sweeper expires a verification, ...), and its tally carries the step's event id as its `once` key, so a step told
 * twice (racing checks of an expired code) counts once. The tally follows the stored step as its event does: a
 * process that dies between the two loses that one count, and a store that refuses the tally does not undo the
 * step (statistics never fail a verification).
 */
import { UsageCalendar } from '../usage/usage-calendar.ts';
import type { VerificationDayCounts } from '../ports/verification-store.ts';
import { verifyError } from './verify-errors.ts';

/** The steps counted, as their events name them, and `started` (a new verification opened). */
export const VERIFICATION_COUNTS = ['started', 'sent', 'approved', 'failed', 'max_attempts_reached', 'expired', 'canceled'] as const;
export type VerificationCountName = (typeof VERIFICATION_COUNTS)[number];

/**
 * Why a start was refused before a code went out: `number`, `account` (VERIFY_RATE_LIMITED), `velocity`,
 * `conversion` (VERIFY_FRAUD_SUSPECTED), `country` (VERIFY_COUNTRY_NOT_ALLOWED), `interval` (VERIFY_RESEND_TOO_SOON).
 */
export const VERIFICATION_REFUSAL_REASONS = ['number', 'account', 'velocity', 'conversion', 'country', 'interval'] as const;
export type VerificationRefusalReason = (typeof VERIFICATION_REFUSAL_REASONS)[number];

export type VerificationCounts = Readonly<Record<VerificationCountName, number>> & { readonly refused: Readonly<Record<VerificationRefusalReason, number>> };

export interface VerificationDayStats extends VerificationCounts {
  readonly day: string;
}

export interface VerificationStats {
  readonly accountId: string;
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly total: VerificationCounts;
  /** Every day of the range, zeros included. */
  readonly days: readonly VerificationDayStats[];
}

/**
 * The id of one step of a verification: its event's id (a replay or a second sweeper's copy is dropped by it) and
 * its tally's `once` key. A verification's sends and attempts only grow, so each step has its own.
 */
export function verificationStepId(step: { readonly id: string; readonly sends: number; readonly attempts: number }, kind: string): string {
  return `${step.id}:${kind}:${step.sends}:${step.attempts}`;
}

/** The longest range one read covers, in days (as usage reports). */
export const MAX_STATS_DAYS = 366;

/** The name a refusal is counted under in the store. */
export function refusalCountName(reason: VerificationRefusalReason): string {
  return `refused:${reason}`;
}

/** The days of a valid range; an impossible date, a reversed range or one over 366 days is VERIFY_INVALID_REQUEST naming the field. */
export function statsDays(from: string, to: string): string[] {
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (!isCalendarDate(value)) throw verifyError('VERIFY_INVALID_REQUEST', `${field} "${value}" is not a date (YYYY-MM-DD)`, { field });
  }
  if (from > to) throw verifyError('VERIFY_INVALID_REQUEST', `from ${from} is after to ${to}`, { field: 'from' });
  const days = UsageCalendar.days(from, to);
  if (days.length > MAX_STATS_DAYS) throw verifyError('VERIFY_INVALID_REQUEST', `the range covers ${days.length} days; at most ${MAX_STATS_DAYS}`, { field: 'to', limit: MAX_STATS_DAYS });
  return days;
}

/** The statistics of the stored days (names the service does not count are ignored). */
export function statsOf(accountId: string, from: string, to: string, timeZone: string, stored: readonly VerificationDayCounts[]): VerificationStats {
  const days = stored.map(({ day, counts }) => ({ day, ...countsOf(counts) }));
  const sums: Record<string, number> = {};
  for (const day of days) {
    for (const name of VERIFICATION_COUNTS) sums[name] = (sums[name] ?? 0) + day[name];
    for (const reason of VERIFICATION_REFUSAL_REASONS) sums[refusalCountName(reason)] = (sums[refusalCountName(reason)] ?? 0) + day.refused[reason];
  }
  return { accountId, from, to, timeZone, total: countsOf(sums), days };
}

/** The counts under their store names, every one present (zero when not counted). */
function countsOf(stored: Readonly<Record<string, number>>): VerificationCounts {
  const steps = Object.fromEntries(VERIFICATION_COUNTS.map((name) => [name, stored[name] ?? 0])) as Record<VerificationCountName, number>;
  const refused = Object.fromEntries(VERIFICATION_REFUSAL_REASONS.map((reason) => [reason, stored[refusalCountName(reason)] ?? 0])) as Record<VerificationRefusalReason, number>;
  return { ...steps, refused };
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}
