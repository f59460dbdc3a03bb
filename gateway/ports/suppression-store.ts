/**
 * Who must not get messages: per account, a number (E.164) suppressed for the whole account or for one sender,
 * with the reason and source kept as the consent record Japan's Act on Specified Electronic Mail asks senders to
 * keep. Lifting an entry removes it from the list but never from the number's history. Adapters: memory (the
 * embedded default) and Redis; one contract suite runs against both.
 */

/** Why a number is suppressed: a recipient's opt-out keyword, an operator's "never SMS" flag, a carrier's verdict, ... */
export const SUPPRESSION_REASONS = ['opt-out', 'manual', 'bounced', 'complaint', 'imported'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Who made a change: the recipient's keyword (its text as received), an API key (its id, never the key), an operator, an import. */
export interface SuppressionSource {
  readonly kind: 'keyword' | 'api' | 'operator' | 'import' | 'system';
  /** The keyword as the recipient typed it, the operator's name, the import's file name, ... */
  readonly detail?: string;
  /** The connector an opt-out keyword came in on. */
  readonly connector?: string;
}

export interface SuppressionEntry {
  readonly accountId: string;
  /** E.164 with `+`. */
  readonly number: string;
  /** The sender this entry blocks; absent for the whole account. */
  readonly sender?: string;
  readonly reason: SuppressionReason;
  readonly source: SuppressionSource;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly note?: string;
}

/** One line of a number's consent history: it was suppressed or lifted, when, why and by whom. */
export interface ConsentEvent {
  readonly action: 'suppressed' | 'lifted';
  readonly at: number;
  readonly sender?: string;
  readonly reason?: SuppressionReason;
  readonly source: SuppressionSource;
  readonly note?: string;
}

export interface SuppressionPage {
  readonly entries: readonly SuppressionEntry[];
  /** Pass as `after` for the next page; absent on the last page. */
  readonly next?: string;
}

export interface SuppressionStore {
  /**
   * Puts the entry for (account, number, sender), replacing one there, and appends it to the number's history.
   * Resolves true when no entry was there before.
   */
  add(entry: SuppressionEntry): Promise<boolean>;
  /** Removes the entry for (account, number, sender) and appends the lift to the history; the removed entry, if any. */
  remove(accountId: string, number: string, sender: string | undefined, lift: ConsentEvent): Promise<SuppressionEntry | undefined>;
  /** The entry that blocks `sender` (or any sender) from `number`: the account-wide one first, then the sender's own. */
  match(accountId: string, number: string, sender: string | undefined): Promise<SuppressionEntry | undefined>;
  /** Every entry of one number (account-wide and per sender). */
  entries(accountId: string, number: string): Promise<SuppressionEntry[]>;
  /** The number's consent history, oldest first (kept after the entry is lifted). */
  history(accountId: string, number: string): Promise<ConsentEvent[]>;
  /** The account's entries ordered by number then sender, `limit` at a time after the cursor `after`. */
  list(accountId: string, limit: number, after?: string): Promise<SuppressionPage>;
  /** How many entries the account has. */
  count(accountId: string): Promise<number>;
}

/** The listing order and cursor of an entry: number, then sender ('' for the account-wide entry, which sorts first). */
export function suppressionKey(number: string, sender: string | undefined): string {
  return `${number}\u0000${sender ?? ''}`;
}

export function consentOf(entry: SuppressionEntry): ConsentEvent {
  return {
    action: 'suppressed',
    at: entry.createdAt,
    reason: entry.reason,
    source: entry.source,
    ...(entry.sender === undefined ? {} : { sender: entry.sender }),
    ...(entry.note === undefined ? {} : { note: entry.note }),
  };
}
