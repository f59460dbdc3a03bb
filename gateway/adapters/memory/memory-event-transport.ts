/**
 * Events and receipts in this process, for the embedded default: handlers and subscribers run after the
 * publisher's turn, never inside it, and one that throws disturbs nobody (nothing is redelivered in memory, so a
 * handler reports its own failures). A handler gets the events of one turn of the event loop as one batch, in
 * the order they were published, as a Kafka consumer gets a fetch: a handler that stores its effects (usage
 * counts) then makes one store call per batch rather than one per event.
 */
import type { Receipt } from '../../../drivers/transport/index.ts';
import { gatewayError } from '../../errors.ts';
import { EventListeners } from '../../events/event-listeners.ts';
import type { GatewayEvent } from '../../events/gateway-event.ts';
import type { EventFilter, EventHandler, EventHandlers, EventTransport, ReceiptHandler } from '../../ports/event-transport.ts';

const NO_HEARTBEAT = (): Promise<void> => Promise.resolve();

export class MemoryEventTransport implements EventTransport {
  readonly shared = false;
  readonly accepting = true;
  private readonly listeners = new EventListeners();
  private receipts: ReceiptHandler | undefined;
  private unsubscribe: (() => void)[] = [];

  publish(event: GatewayEvent): Promise<void> {
    this.listeners.emit(event);
    return Promise.resolve();
  }

  interested(type: GatewayEvent['type'], status?: string): boolean {
    return this.listeners.interested(type, status);
  }

  appendReceipt(receipt: Receipt): Promise<void> {
    if (this.receipts === undefined) return Promise.reject(gatewayError('GW_EVENTS_UNAVAILABLE', 'no receipt handler runs in this process'));
    return this.receipts.handle([receipt], NO_HEARTBEAT);
  }

  /** Nothing to keep it in: the receipt was counted as unmatched when it was given up. */
  park(): Promise<void> {
    return Promise.resolve();
  }

  consume(handlers: EventHandlers): Promise<void> {
    this.receipts = handlers.receipts;
    for (const handler of handlers.events ?? []) {
      const wants = handler.wants;
      const filter: EventFilter = (type, status) => handler.types.includes(type) && (wants === undefined || wants(type, status));
      this.unsubscribe.push(this.listeners.add(batchedBy(handler), filter));
    }
    return Promise.resolve();
  }

  stopConsuming(): Promise<void> {
    this.receipts = undefined;
    for (const stop of this.unsubscribe.splice(0)) stop();
    return Promise.resolve();
  }

  subscribe(listener: (event: GatewayEvent) => void, filter?: EventFilter): () => void {
    return this.listeners.add(listener, filter);
  }

  close(): Promise<void> {
    this.receipts = undefined;
    this.unsubscribe = [];
    this.listeners.clear();
    return Promise.resolve();
  }
}

/** Collects a handler's events until the publishers' turn ends, then hands them over at once. */
function batchedBy(handler: EventHandler): (event: GatewayEvent) => void {
  let batch: GatewayEvent[] = [];
  return (event) => {
    batch.push(event);
    if (batch.length > 1) return;
    setImmediate(() => {
      const events = batch;
      batch = [];
      void handler.handle(events, NO_HEARTBEAT).catch(() => undefined);
    });
  };
}
