import type { RouteDecision } from '../../router/index.ts';
import type { SuppressionEntry } from '../ports/suppression-store.ts';
import type { ServiceSubmit } from './accept-request.ts';

/** What the accept path knows of a message's recipient once it is routed (what the suppression check reads). */
export interface RoutedRecipient {
  readonly accountId: string;
  /** E.164, as routed. */
  readonly to: string;
  /** The requested sender and each connector's sender (as sender rules left them); may repeat or be null. */
  readonly senders: readonly (string | null)[];
  readonly tag?: string;
}

export function routedRecipient(accountId: string, decision: RouteDecision, tag: string | undefined): RoutedRecipient {
  return {
    accountId,
    to: decision.to.e164,
    senders: [decision.sender.requested, ...decision.connectors.map((c) => c.sender)],
    ...(tag === undefined ? {} : { tag }),
  };
}

/** A recipient before routing: the number parsed, the sender asked for; the connectors' senders are not known yet. */
export interface NumberedRecipient {
  readonly accountId: string;
  /** E.164. */
  readonly to: string;
  readonly requested: string | null;
  readonly tag?: string;
}

/** A suppression read started before routing: the entry, if any, that blocks `to` account-wide or from `sender`. */
export interface EarlyScreen {
  readonly to: string;
  readonly sender: string | undefined;
  readonly entry: Promise<SuppressionEntry | undefined>;
}

/**
 * The accept path's check of a recipient (the suppression list). `begin` starts its read as soon as the number is
 * parsed, so that it runs alongside the carrier lookup instead of after it; `check` finishes it once the message
 * is routed, and throws to refuse the recipient.
 */
export interface RecipientScreen {
  begin(recipient: NumberedRecipient, service?: ServiceSubmit): EarlyScreen | undefined;
  check(recipient: RoutedRecipient, service?: ServiceSubmit, early?: EarlyScreen): Promise<void>;
}
