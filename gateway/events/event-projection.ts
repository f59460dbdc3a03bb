/**
 * Record changes become events: each part that moved, then the message if its status did, and inbound messages.
 * The store write is the commitment; events follow it (and can be published again from the stored record when a
 * crash came between the two).
 */
import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '../../drivers/transport/index.ts';
import type { AccountConfig, AccountRegistry } from '../accounts/account-registry.ts';
import type { MessageChange, MessageRecord } from '../messages/message-record.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { EventTransport } from '../ports/event-transport.ts';
import type { InboundStore } from '../ports/inbound-store.ts';
import type { AppliedChange, Correlation } from '../ports/message-store.ts';
import { inboundEvent, partEvent, partViews, statusEvent, type PartView } from './gateway-event.ts';

/** What a receipt knows of its part beyond the change itself (for the part's event). */
export interface PartHint {
  readonly connector?: string;
  readonly smscMessageId?: string;
}

export interface EventProjectionOptions {
  readonly events: EventTransport;
  readonly metrics: GatewayMetrics;
  /** Inbound messages are filed under the account that owns their number. */
  readonly accounts: AccountRegistry;
  readonly inbound: InboundStore;
  readonly now: () => number;
  /**
   * `multipart`: a one-part message's part event is left out when the message status moved in the same change,
   * since that message.status event carries the part's new state in `parts` (fewer records, same facts); `all`
   * (default): every part transition is an event of its own.
   */
  readonly partEvents?: 'all' | 'multipart';
  /** Keyword handling of an owned number's inbound message, before it is stored and published (its failure fails the inbound). */
  readonly keywords?: (message: InboundMessage, account: AccountConfig, inboundId: string) => Promise<void>;
}

export class EventProjection {
  private readonly events: EventTransport;
  private readonly metrics: GatewayMetrics;

  constructor(private readonly options: EventProjectionOptions) {
    this.events = options.events;
    this.metrics = options.metrics;
  }

  /**
   * The accept path's events: `accepted`, then `queued` or `scheduled`, as the record's timeline has them. The
   * client's answer does not wait for them: the stored record is the commitment (a 503 for a message that is
   * already queued would make the client send it twice). They are handed to the transport before this returns,
   * so they stay ahead of the message's later events.
   */
  accepted(record: MessageRecord): Promise<void> {
    for (const status of ['accepted', record.status] as const) {
      if (!this.events.interested('message.status', status)) continue;
      this.events.publish(statusEvent({ ...record, status }, record.envelope.createdAt)).catch(() => this.metrics.eventsFailed.inc());
    }
    return Promise.resolve();
  }

  /** Events for what a store change moved: each part that changed status, then the message if it did. */
  async changed(applied: AppliedChange, change: MessageChange, hint?: PartHint): Promise<void> {
    const { record, previousStatus, status } = applied;
    const published: Promise<void>[] = [];
    const carriedByStatus = this.options.partEvents === 'multipart' && record?.parts.length === 1 && status !== previousStatus;
    if (applied.movedParts.length > 0 && !carriedByStatus && this.events.interested('message.part')) {
      const views = record === undefined ? undefined : partViews(record);
      for (const seq of applied.movedParts) {
        const view = views?.find((part) => part.seq === seq) ?? partFromChange(change, seq, hint);
        if (view !== undefined) published.push(this.events.publish(partEvent(applied.id, view, change.at)));
      }
    }
    if (status !== previousStatus && record !== undefined) {
      this.metrics.messageStatus.inc({ status: record.status });
      if (this.events.interested('message.status', record.status)) published.push(this.events.publish(statusEvent(record, change.at)));
    }
    await Promise.all(published);
  }

  /**
   * Publishes again the events a part's receipt stands for, from the stored record: after a crash between a store
   * write and its events, a replayed receipt moves nothing, and this puts the missing events out (same ids, so
   * consumers drop the ones they already have).
   */
  async republish(record: MessageRecord, correlation: Correlation): Promise<void> {
    const part = partViews(record).find((view) => view.seq === correlation.seq);
    const at = this.options.now();
    if (part !== undefined && part.status !== 'pending') await this.events.publish(partEvent(record.envelope.id, part, at));
    const last = [...record.timeline].reverse().find((entry) => entry.event === record.status);
    await this.events.publish(statusEvent(record, last?.at ?? at));
  }

  /** An inbound message: stored for the account's listing and published, under the account that owns its number. */
  async inbound(message: InboundMessage): Promise<void> {
    const owner = this.options.accounts.owner(message.to);
    const event = inboundEvent(message, randomUUID(), owner?.id ?? null);
    this.metrics.inbound.inc({ connector: message.connectorId, complete: String(message.complete) });
    if (owner !== undefined) await this.options.keywords?.(message, owner, event.id);
    await Promise.all([this.options.inbound.add(event), this.events.publish(event)]);
  }
}

function partFromChange(change: MessageChange, seq: number, hint?: PartHint): PartView | undefined {
  const update = change.parts?.find((part) => part.seq === seq && part.status !== undefined);
  if (update?.status === undefined) return undefined;
  const connector = update.connectorId ?? hint?.connector;
  const smscMessageId = update.carrierMessageId ?? hint?.smscMessageId;
  return {
    seq,
    status: update.status,
    ...(connector === undefined ? {} : { connector }),
    ...(smscMessageId === undefined ? {} : { smscMessageId }),
    ...(update.raw === undefined ? {} : { raw: update.raw as Readonly<Record<string, string | number>> }),
    ...(update.error === undefined ? {} : { error: update.error }),
  };
}
