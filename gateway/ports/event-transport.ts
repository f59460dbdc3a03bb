/**
 * How events and drivers' receipts reach their handlers. The gateway publishes every change as an event and hands
 * every receipt to the transport; the handlers (the status updater, the webhook feeder, the usage counter, and
 * whatever service comes next) are built once by the composition root and given to `consume`.
 * - The memory adapter (embedded default) calls the handlers in this process.
 * - The Kafka adapter writes to topics and runs one consumer group per handler, in whichever processes take that
 *   role; it commits a batch's offsets only after its handler resolved, so handlers must be idempotent.
 */
import type { Receipt } from '../../drivers/transport/index.ts';
import type { GatewayEvent, UnmatchedReceiptRecord } from '../events/gateway-event.ts';

export type EventFilter = (type: GatewayEvent['type'], status?: string) => boolean;

/** Resolves once the batch's effect is stored; `heartbeat` keeps a consumer group member alive while it works. */
export type Heartbeat = () => Promise<void>;

export interface ReceiptHandler {
  handle(receipts: readonly Receipt[], heartbeat: Heartbeat): Promise<void>;
}

export interface EventHandler {
  /** Names the handler (the Kafka consumer group is `<groupPrefix>.<name>`). */
  readonly name: string;
  /** The event types it reads (the Kafka adapter reads the topics that carry them). */
  readonly types: readonly GatewayEvent['type'][];
  /** Which of those events it wants (default all); the others are skipped before they are parsed where possible. */
  readonly wants?: EventFilter;
  handle(events: readonly GatewayEvent[], heartbeat: Heartbeat): Promise<void>;
}

/** The handlers this process runs (its roles). */
export interface EventHandlers {
  readonly receipts?: ReceiptHandler;
  readonly events?: readonly EventHandler[];
}

export interface EventTransport {
  /** True when events leave the process: other processes (and outside consumers) read them. */
  readonly shared: boolean;
  /** False while the transport cannot take more work safely (the gateway then refuses new messages). */
  readonly accepting: boolean;
  /** Resolves once the event is durable (Kafka or its outbox), or, in memory, handed on. */
  publish(event: GatewayEvent): Promise<void>;
  /**
   * Whether an event of this type (and message or part status) would reach anyone: the memory adapter asks its
   * handlers' and subscribers' filters, so the embedded default builds no event nobody reads. Kafka wants all.
   */
  interested(type: GatewayEvent['type'], status?: string): boolean;
  /** A driver's receipt: resolves once it is durable (Kafka), or applied or held (memory); then the carrier is answered. */
  appendReceipt(receipt: Receipt): Promise<void>;
  /** Keeps a receipt no part claimed, or a record that is no receipt, where an operator can look (Kafka: a dead-letter topic). */
  park(record: UnmatchedReceiptRecord, key: string): Promise<void>;
  /** Starts handing events and receipts to this process's handlers. */
  consume(handlers: EventHandlers): Promise<void>;
  /** Stops handing them on (a Kafka consumer leaves its groups; the committed offsets stay). */
  stopConsuming(): Promise<void>;
  /** In-process observers of what this process publishes (tests, logs); `filter` says which events (default all). */
  subscribe(listener: (event: GatewayEvent) => void, filter?: EventFilter): () => void;
  /** After `stopConsuming`: flushes what is waiting and lets go of connections. */
  close(): Promise<void>;
}
