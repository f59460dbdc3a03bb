/**
 * Events and receipts onto their topics through the durable publisher. Keys keep what must stay ordered on one
 * partition: a message's events by message id, a receipt by connector and SMSC id, inbound by destination.
 * Local subscribers still see every event this process publishes (tests, logs), after it is durable.
 */
import type { Receipt } from '../../../drivers/transport/index.ts';
import type { DurablePublisher, OutboundRecord } from '../../events/durable-publisher.ts';
import { EventListeners } from '../../events/event-listeners.ts';
import type { GatewayEvent } from '../../events/gateway-event.ts';
import { receiptKey, receiptRecord } from '../../events/receipt-record.ts';
import type { EventFilter, EventLog, ReceiptLog } from '../../ports/event-log.ts';
import type { KafkaTopics } from './kafka-settings.ts';

export class KafkaEventLog implements EventLog, ReceiptLog {
  readonly shared = true;
  private readonly listeners = new EventListeners();

  constructor(
    private readonly publisher: DurablePublisher,
    private readonly topics: KafkaTopics,
  ) {}

  get accepting(): boolean {
    return this.publisher.accepting;
  }

  async publish(event: GatewayEvent): Promise<void> {
    await this.publisher.publish([this.record(event)]);
    this.listeners.emit(event);
  }

  append(receipt: Receipt): Promise<void> {
    const record = receiptRecord(receipt);
    return this.publisher.publish([{ topic: this.topics.receipts, key: receiptKey(record.connector, record.smscMessageId), value: JSON.stringify(record) }]);
  }

  /** Everything goes to the topics, whoever reads them. */
  interested(): boolean {
    return true;
  }

  subscribe(listener: (event: GatewayEvent) => void, filter?: EventFilter): () => void {
    return this.listeners.add(listener, filter);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }

  private record(event: GatewayEvent): OutboundRecord {
    const value = JSON.stringify(event);
    switch (event.type) {
      case 'message.status':
      case 'message.part':
        return { topic: this.topics.events, key: event.messageId, value };
      case 'message.inbound':
        return { topic: this.topics.inbound, key: event.to, value };
    }
  }
}
