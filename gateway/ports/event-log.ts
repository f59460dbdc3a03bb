import type { Receipt } from '../../drivers/transport/index.ts';
import type { GatewayEvent } from '../events/gateway-event.ts';

/**
 * Where events go. The memory adapter hands them to in-process subscribers; the Kafka adapter writes them to
 * topics that every gateway process and outside consumers read.
 */
export interface EventLog {
  /** True when events leave the process: webhooks and usage are then driven by the log's consumers. */
  readonly shared: boolean;
  /** False while the log cannot take more work safely (the gateway then refuses new messages). */
  readonly accepting: boolean;
  /** Resolves once the event is durable (or, in memory, handed to subscribers). */
  publish(event: GatewayEvent): Promise<void>;
  /**
   * Whether an event of this type (and message or part status) would reach anyone: the memory log asks its
   * subscribers' filters, so the embedded default builds no event nobody reads. A shared log always wants them.
   */
  interested(type: GatewayEvent['type'], status?: string): boolean;
  /** `filter` says which events the listener wants (default: all). */
  subscribe(listener: (event: GatewayEvent) => void, filter?: EventFilter): () => void;
  close(): Promise<void>;
}

export type EventFilter = (type: GatewayEvent['type'], status?: string) => boolean;

/** Where drivers' receipts go before they are matched, when they travel through a shared log. */
export interface ReceiptLog {
  /** Resolves once the receipt is durable; only then may the carrier be answered. */
  append(receipt: Receipt): Promise<void>;
}
