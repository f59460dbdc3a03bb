/**
 * Which events become callbacks, to where. Status callbacks go out from `submitted` on (the client learned of
 * accepted and queued from the 202 answer) for the message's callbackUrl or the account's; inbound callbacks go
 * to the account's inbound URL (or its callback URL), suppression changes, verification steps, human link clicks and
 * campaign state changes to the account's callback URL. Part events and bots' link requests stay on the event log.
 */
import type { AccountConfig } from '../accounts/account-registry.ts';
import type { GatewayEvent } from '../events/gateway-event.ts';
import type { MessageStatus } from '../messages/message-status.ts';
import type { WebhookJob } from './webhook-delivery.ts';

const CALLBACK_STATUSES: ReadonlySet<MessageStatus> = new Set(['submitted', 'delivered', 'undelivered', 'expired', 'failed', 'unknown', 'rejected', 'canceled']);

/** Which events can become callbacks (the memory event log builds no other event when nothing else listens). */
export function mayCallBack(type: GatewayEvent['type'], status?: string): boolean {
  if (type === 'link.clicked') return status !== 'bot';
  return type === 'message.inbound' || type === 'suppression.changed' || type === 'verification.status' || type === 'campaign.status' || (type === 'message.status' && CALLBACK_STATUSES.has(status as MessageStatus));
}

export function webhookJobFor(event: GatewayEvent, account: AccountConfig | undefined): WebhookJob | undefined {
  if (account === undefined || account.callbackSecret === undefined) return undefined;
  let url: string | undefined;
  if (event.type === 'message.status') {
    if (!CALLBACK_STATUSES.has(event.status)) return undefined;
    url = event.callbackUrl ?? account.callbackUrl;
  } else if (event.type === 'message.inbound') {
    url = account.inboundUrl ?? account.callbackUrl;
  } else if (event.type === 'suppression.changed' || event.type === 'verification.status' || event.type === 'campaign.status') {
    url = account.callbackUrl;
  } else if (event.type === 'link.clicked') {
    if (event.kind === 'bot') return undefined;
    url = account.callbackUrl;
  }
  if (url === undefined) return undefined;
  return { id: event.id, url, secret: account.callbackSecret, body: JSON.stringify(event) };
}

/** The account an event belongs to, when it names one. */
export function accountOf(event: GatewayEvent): string | undefined {
  return event.type === 'message.part' ? undefined : (event.accountId ?? undefined);
}
