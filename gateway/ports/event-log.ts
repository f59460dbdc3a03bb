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
  subscribe(listener: (event: GatewayEvent) => void): () => void;
  close(): Promise<void>;
}

/** Where drivers' receipts go before they are matched, when they travel through a shared log. */
export interface ReceiptLog {
  /** Resolves once the receipt is durable; only then may the carrier be answered. */
  append(receipt: Receipt): Promise<void>;
}
