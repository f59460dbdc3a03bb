/**
 * The suppression list as a service: numbers an account must not message, added by recipients' opt-out keywords,
 * by operators and by imports, lifted by opt-in keywords and operators. Numbers are normalized as submits are (the
 * account's default country for national forms), senders as originators are, so `090-1234-5678` and
 * `+819012345678` are one entry. A keyword's sender is kept only under the account's scope "sender"
 * (suppression-settings.ts). Each change is kept in the number's consent history and told to `changed`
 * (events and webhooks) after it is stored.
 */
import { normalizeNumber, parseOriginator } from '../../router/index.ts';
import type { AccountConfig, AccountRegistry } from '../accounts/account-registry.ts';
import { gatewayError } from '../errors.ts';
import type {
  ConsentEvent,
  SuppressionEntry,
  SuppressionPage,
  SuppressionReason,
  SuppressionSource,
  SuppressionStore,
} from '../ports/suppression-store.ts';
import { scopedSender } from './suppression-settings.ts';

export interface SuppressionChange {
  readonly action: 'suppressed' | 'lifted';
  readonly entry: SuppressionEntry;
  /** When it changed (epoch ms); for a lift, the entry is the one lifted and `source` who lifted it. */
  readonly at: number;
  readonly source: SuppressionSource;
}

export interface SuppressInput {
  readonly number: string;
  /** Block only this sender; absent for the whole account. */
  readonly sender?: string;
  readonly reason: SuppressionReason;
  readonly source: SuppressionSource;
  readonly note?: string;
}

export interface LiftInput {
  readonly number: string;
  readonly sender?: string;
  readonly source: SuppressionSource;
  readonly note?: string;
}

export interface SuppressionServiceOptions {
  readonly store: SuppressionStore;
  readonly accounts: AccountRegistry;
  readonly now: () => number;
  /** Runs after each stored change (the events go out here); its failure does not undo the change. */
  readonly changed?: (change: SuppressionChange) => Promise<void>;
}

export class SuppressionService {
  private readonly store: SuppressionStore;

  constructor(private readonly options: SuppressionServiceOptions) {
    this.store = options.store;
  }

  /** Suppresses a number; `created` is false when the same entry was already there (it is replaced, and logged again). */
  async suppress(accountId: string, input: SuppressInput): Promise<{ readonly entry: SuppressionEntry; readonly created: boolean }> {
    const account = this.account(accountId);
    const sender = this.sender(account, scopedSender(account.suppression, input.source, input.sender));
    const entry: SuppressionEntry = {
      accountId,
      number: this.number(account, input.number),
      reason: input.reason,
      source: input.source,
      createdAt: this.options.now(),
      ...(sender === undefined ? {} : { sender }),
      ...(input.note === undefined ? {} : { note: input.note }),
    };
    const created = await this.store.add(entry);
    await this.tell({ action: 'suppressed', entry, at: entry.createdAt, source: entry.source });
    return { entry, created };
  }

  /** Lifts a number's entry (the whole-account one, or one sender's); the lifted entry, or undefined when there was none. */
  async lift(accountId: string, input: LiftInput): Promise<SuppressionEntry | undefined> {
    const account = this.account(accountId);
    const sender = this.sender(account, scopedSender(account.suppression, input.source, input.sender));
    const at = this.options.now();
    const lift: ConsentEvent = {
      action: 'lifted',
      at,
      source: input.source,
      ...(sender === undefined ? {} : { sender }),
      ...(input.note === undefined ? {} : { note: input.note }),
    };
    const removed = await this.store.remove(accountId, this.number(account, input.number), sender, lift);
    if (removed !== undefined) await this.tell({ action: 'lifted', entry: removed, at, source: input.source });
    return removed;
  }

  /** The entry that blocks a message from `sender` to `e164` (already normalized: the accept path's hot call). */
  blocking(accountId: string, e164: string, sender: string | undefined): Promise<SuppressionEntry | undefined> {
    return this.store.match(accountId, e164, sender);
  }

  /** A number's entries and consent history, by any form of the number. */
  async lookup(accountId: string, number: string): Promise<{ readonly number: string; readonly entries: SuppressionEntry[]; readonly history: ConsentEvent[] }> {
    const e164 = this.number(this.account(accountId), number);
    const [entries, history] = await Promise.all([this.store.entries(accountId, e164), this.store.history(accountId, e164)]);
    return { number: e164, entries, history };
  }

  list(accountId: string, limit: number, after?: string): Promise<SuppressionPage> {
    this.account(accountId);
    return this.store.list(accountId, limit, after);
  }

  count(accountId: string): Promise<number> {
    return this.store.count(accountId);
  }

  /** A number in E.164 as the account's submits would read it (the router's typed refusal otherwise). */
  number(account: AccountConfig, number: string): string {
    return normalizeNumber(number, account.defaultCountry === undefined ? {} : { defaultCountry: account.defaultCountry }).e164;
  }

  private sender(account: AccountConfig, sender: string | undefined): string | undefined {
    return sender === undefined ? undefined : parseOriginator(sender, account.defaultCountry).value;
  }

  private async tell(change: SuppressionChange): Promise<void> {
    await this.options.changed?.(change);
  }

  private account(accountId: string): AccountConfig {
    const account = this.options.accounts.get(accountId);
    if (account === undefined) throw gatewayError('GW_NOT_FOUND', `account ${accountId}`, { field: 'account' });
    return account;
  }
}
