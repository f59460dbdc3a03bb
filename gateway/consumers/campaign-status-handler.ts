/**
 * Campaign recipients follow their messages: message status events whose clientRef is `campaign:<id>:<index>`
 * move the recipient (submitted -> sent; delivered; failed, undelivered, expired, rejected, unknown -> failed;
 * canceled), with the event's time. The store keeps steps forward only, so replays and late events change nothing
 * (and are not counted again). A clientRef is a client's field too: the event's account must be the campaign's,
 * and its message the one the recipient was claimed with.
 */
import type { GatewayEvent } from '../events/gateway-event.ts';
import type { MessageStatus } from '../messages/message-status.ts';
import type { CampaignStore, RecipientCounter, RecipientStatus } from '../ports/campaign-store.ts';
import type { EventHandler, Heartbeat } from '../ports/event-transport.ts';

const RECIPIENT_STATUS: Partial<Record<MessageStatus, Exclude<RecipientStatus, 'pending' | 'queued'>>> = {
  submitted: 'sent',
  delivered: 'delivered',
  failed: 'failed',
  undelivered: 'failed',
  expired: 'failed',
  rejected: 'failed',
  unknown: 'failed',
  canceled: 'canceled',
};

const CLIENT_REF = /^campaign:([^:]+):(\d+)$/;

/** The campaign and recipient a clientRef names, if it is a campaign's. */
export function campaignRef(clientRef: string | undefined): { readonly campaignId: string; readonly index: number } | undefined {
  const match = clientRef === undefined ? null : CLIENT_REF.exec(clientRef);
  return match === null ? undefined : { campaignId: match[1] as string, index: Number(match[2]) };
}

export class CampaignStatusHandler implements EventHandler {
  readonly name = 'campaigns';
  readonly types = ['message.status'] as const satisfies readonly GatewayEvent['type'][];
  /** Campaign id -> account (a campaign's account never changes). */
  private readonly owners = new Map<string, string | null>();

  constructor(
    private readonly store: CampaignStore,
    private readonly counted?: RecipientCounter,
  ) {}

  wants = (type: GatewayEvent['type'], status?: string): boolean => type === 'message.status' && status !== undefined && RECIPIENT_STATUS[status as MessageStatus] !== undefined;

  async handle(events: readonly GatewayEvent[], heartbeat?: Heartbeat): Promise<void> {
    for (const event of events) {
      if (event.type !== 'message.status') continue;
      const ref = campaignRef(event.clientRef);
      const status = RECIPIENT_STATUS[event.status];
      if (ref === undefined || status === undefined) continue;
      if ((await this.owner(ref.campaignId)) !== event.accountId) continue;
      const error = status === 'failed' ? event.parts.find((part) => part.error !== undefined)?.error?.code ?? event.status : undefined;
      const moved = await this.store.update(ref.campaignId, ref.index, { status, at: Date.parse(event.at), messageId: event.messageId, ...(error === undefined ? {} : { error }) });
      if (moved) this.counted?.(event.accountId, status, 1);
    }
    await heartbeat?.();
  }

  private async owner(campaignId: string): Promise<string | null> {
    let owner = this.owners.get(campaignId);
    if (owner === undefined) {
      owner = (await this.store.get(campaignId))?.accountId ?? null;
      if (this.owners.size > 10_000) this.owners.clear();
      this.owners.set(campaignId, owner);
    }
    return owner;
  }
}
