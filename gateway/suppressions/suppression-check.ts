/**
 * The accept path's suppression check: a submit to a number on the account's list is refused with
 * GW_RECIPIENT_SUPPRESSED, before anything is stored. It matches the account-wide entry and the entries of every
 * sender the message could go out as (the one asked for and each connector's, after sender rules), so a
 * recipient who wrote "STOP" to the number they saw is not reached from it after a rewrite or a failover.
 * Passing: a tag the account lists in `suppression.exemptTags`, and the gateway's own services asking
 * `ignoreSuppression` (an opt-out's confirmation goes to the number it has just suppressed).
 */
import type { ServiceSubmit } from '../accept/accept-request.ts';
import type { EarlyScreen, NumberedRecipient, RecipientScreen, RoutedRecipient } from '../accept/routed-recipient.ts';
import type { AccountConfig } from '../accounts/account-registry.ts';
import { gatewayError } from '../errors.ts';
import type { SuppressionEntry } from '../ports/suppression-store.ts';
import type { SuppressionService } from './suppression-service.ts';
import { isExempt } from './suppression-settings.ts';

export interface SuppressionCheckOptions {
  readonly suppressions: Pick<SuppressionService, 'blocking'>;
  readonly account: (id: string) => Pick<AccountConfig, 'suppression'> | undefined;
  /** A submit was refused because of this entry (metrics). */
  readonly refused?: (accountId: string, entry: SuppressionEntry) => void;
}

export class SuppressionCheck implements RecipientScreen {
  constructor(private readonly options: SuppressionCheckOptions) {}

  /**
   * Starts reading the entries that block the number account-wide or from the requested sender, before the
   * message is routed; `check` finishes it. Nothing is read for a recipient that would pass without a look-up.
   */
  begin(recipient: NumberedRecipient, service: ServiceSubmit = {}): EarlyScreen | undefined {
    if (this.passes(recipient.accountId, recipient.tag, service)) return undefined;
    const sender = recipient.requested === null || recipient.requested === '' ? undefined : recipient.requested;
    const entry = this.options.suppressions.blocking(recipient.accountId, recipient.to, sender);
    // The message may fail to route before `check` awaits this read; its failure then answers nobody.
    entry.catch(() => undefined);
    return { to: recipient.to, sender, entry };
  }

  /**
   * Resolves when the message may go; throws GW_RECIPIENT_SUPPRESSED naming only the reason and the date. `early`
   * is what `begin` started for this message; it is used when it read the same number.
   */
  async check(recipient: RoutedRecipient, service: ServiceSubmit = {}, early?: EarlyScreen): Promise<void> {
    if (this.passes(recipient.accountId, recipient.tag, service)) return;
    const entry = await this.blocking(recipient, early?.to === recipient.to ? early : undefined);
    if (entry === undefined) return;
    this.options.refused?.(recipient.accountId, entry);
    const since = new Date(entry.createdAt).toISOString();
    throw gatewayError('GW_RECIPIENT_SUPPRESSED', `${entry.reason} since ${since}`, { field: 'to', reason: entry.reason, since });
  }

  private passes(accountId: string, tag: string | undefined, service: ServiceSubmit): boolean {
    return service.ignoreSuppression === true || isExempt(this.options.account(accountId)?.suppression, tag);
  }

  private async blocking(recipient: RoutedRecipient, early: EarlyScreen | undefined): Promise<SuppressionEntry | undefined> {
    const senders = [...new Set(recipient.senders.filter((s): s is string => typeof s === 'string' && s !== ''))];
    if (early !== undefined) {
      // The early read covered the account-wide entry and the requested sender's own.
      const entry = await early.entry;
      if (entry !== undefined) return entry;
    } else if (senders.length === 0) {
      return this.options.suppressions.blocking(recipient.accountId, recipient.to, undefined);
    }
    for (const sender of senders) {
      if (sender === early?.sender) continue;
      // The store answers the account-wide entry first, so only the first call can find it; later ones look at
      // the other senders' own entries.
      const entry = await this.options.suppressions.blocking(recipient.accountId, recipient.to, sender);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }
}
