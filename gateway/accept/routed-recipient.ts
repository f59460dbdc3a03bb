import type { RouteDecision } from '../../router/index.ts';

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
