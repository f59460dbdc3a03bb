/**
 * Usage counters and quota counters of accounts. Memory and Redis adapters; one contract suite runs against both.
 * - `count` adds a message's figures to one day of its account, once: a second count with the same `once` key (a
 *   replayed event, another process that saw the same event) adds nothing. That is what makes usage exactly once.
 * - `take` checks every quota limit and takes a message's share only when all fit, in one atomic step;
 *   `giveBack` returns a share taken for a message that was then not stored (or was an idempotent replay).
 */
export interface UsageCount {
  readonly accountId: string;
  /** What is counted once, e.g. `<messageId>:billed`. */
  readonly once: string;
  /** The local day (`YYYY-MM-DD`, in the usage time zone) the figures belong to. */
  readonly day: string;
  /** Named integer counters to add (see usage-figures.ts for the names). */
  readonly add: Readonly<Record<string, number>>;
}

export interface UsageDay {
  readonly day: string;
  /** The counters of that day (absent names are zero). */
  readonly figures: Readonly<Record<string, number>>;
}

export type QuotaPeriod = 'daily' | 'monthly';
export type QuotaUnit = 'messages' | 'segments';

export interface QuotaLimit {
  readonly period: QuotaPeriod;
  /** The period's counter (e.g. `d:2026-01-15`, `m:2026-01`): a new period starts from zero. */
  readonly periodKey: string;
  readonly unit: QuotaUnit;
  readonly limit: number;
  /** How long the period's counter is kept (at least until the period ends). */
  readonly keepSeconds: number;
}

export interface QuotaTake {
  readonly accountId: string;
  readonly limits: readonly QuotaLimit[];
  readonly messages: number;
  readonly segments: number;
}

export type QuotaAnswer = { readonly taken: true } | { readonly taken: false; readonly limit: QuotaLimit; readonly used: number };

export interface UsageStore {
  /** Adds the figures unless `once` was counted already; true when this call counted. */
  count(count: UsageCount): Promise<boolean>;
  /**
   * `count` for each, in order (a once-key met twice counts the first), in as few store calls as the store
   * allows: a consumer's batch of events costs one call per account rather than one per count.
   */
  countMany(counts: readonly UsageCount[]): Promise<boolean[]>;
  /** The counters of each day asked for, in that order (days without traffic have no figures). */
  days(accountId: string, days: readonly string[]): Promise<UsageDay[]>;
  /** Takes the share when every limit fits; otherwise takes nothing and names the first limit that would be crossed. */
  take(take: QuotaTake): Promise<QuotaAnswer>;
  giveBack(take: QuotaTake): Promise<void>;
}
