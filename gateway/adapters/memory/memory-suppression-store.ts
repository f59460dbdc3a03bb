/**
 * Suppressions in this process (the embedded default): per account a map by listing key and that key list kept
 * sorted, so a page is a binary search and a slice rather than a sort of the whole list.
 */
import {
  consentOf,
  suppressionKey,
  type ConsentEvent,
  type SuppressionEntry,
  type SuppressionPage,
  type SuppressionStore,
} from '../../ports/suppression-store.ts';

interface AccountSuppressions {
  readonly byKey: Map<string, SuppressionEntry>;
  /** Listing keys in order. */
  readonly keys: string[];
  readonly history: Map<string, ConsentEvent[]>;
}

export class MemorySuppressionStore implements SuppressionStore {
  private readonly accounts = new Map<string, AccountSuppressions>();

  add(entry: SuppressionEntry): Promise<boolean> {
    const account = this.account(entry.accountId);
    const key = suppressionKey(entry.number, entry.sender);
    const created = !account.byKey.has(key);
    account.byKey.set(key, entry);
    if (created) account.keys.splice(firstAtOrAfter(account.keys, key), 0, key);
    this.append(account, entry.number, consentOf(entry));
    return Promise.resolve(created);
  }

  remove(accountId: string, number: string, sender: string | undefined, lift: ConsentEvent): Promise<SuppressionEntry | undefined> {
    const account = this.account(accountId);
    const key = suppressionKey(number, sender);
    const entry = account.byKey.get(key);
    if (entry !== undefined) {
      account.byKey.delete(key);
      account.keys.splice(firstAtOrAfter(account.keys, key), 1);
      this.append(account, number, lift);
    }
    return Promise.resolve(entry);
  }

  match(accountId: string, number: string, sender: string | undefined): Promise<SuppressionEntry | undefined> {
    const byKey = this.accounts.get(accountId)?.byKey;
    const whole = byKey?.get(suppressionKey(number, undefined));
    return Promise.resolve(whole ?? (sender === undefined ? undefined : byKey?.get(suppressionKey(number, sender))));
  }

  entries(accountId: string, number: string): Promise<SuppressionEntry[]> {
    const account = this.accounts.get(accountId);
    if (account === undefined) return Promise.resolve([]);
    const prefix = suppressionKey(number, undefined);
    const result: SuppressionEntry[] = [];
    for (let i = firstAtOrAfter(account.keys, prefix); i < account.keys.length; i += 1) {
      const entry = account.byKey.get(account.keys[i] as string);
      if (entry?.number !== number) break;
      result.push(entry);
    }
    return Promise.resolve(result);
  }

  history(accountId: string, number: string): Promise<ConsentEvent[]> {
    return Promise.resolve([...(this.accounts.get(accountId)?.history.get(number) ?? [])]);
  }

  list(accountId: string, limit: number, after?: string): Promise<SuppressionPage> {
    const account = this.accounts.get(accountId);
    if (account === undefined) return Promise.resolve({ entries: [] });
    let start = after === undefined ? 0 : firstAtOrAfter(account.keys, after);
    if (after !== undefined && account.keys[start] === after) start += 1;
    const keys = account.keys.slice(start, start + limit);
    const entries = keys.map((key) => account.byKey.get(key) as SuppressionEntry);
    const last = keys.at(-1);
    return Promise.resolve(start + limit < account.keys.length && last !== undefined ? { entries, next: last } : { entries });
  }

  count(accountId: string): Promise<number> {
    return Promise.resolve(this.accounts.get(accountId)?.keys.length ?? 0);
  }

  private account(accountId: string): AccountSuppressions {
    let account = this.accounts.get(accountId);
    if (account === undefined) {
      account = { byKey: new Map(), keys: [], history: new Map() };
      this.accounts.set(accountId, account);
    }
    return account;
  }

  private append(account: AccountSuppressions, number: string, event: ConsentEvent): void {
    const list = account.history.get(number);
    if (list === undefined) account.history.set(number, [event]);
    else list.push(event);
  }
}

/** Index of the first key not below `key` (binary search over the sorted keys). */
function firstAtOrAfter(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((keys[middle] as string) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
