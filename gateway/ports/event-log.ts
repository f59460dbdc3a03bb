import type { GatewayEvent } from '../events/gateway-event.ts';

/**
 * Where events go. The memory adapter hands them to in-process subscribers; the Kafka adapter (for several
 * processes and outside consumers) writes them to topics.
 */
export interface EventLog {
  publish(event: GatewayEvent): void;
  subscribe(listener: (event: GatewayEvent) => void): () => void;
  close(): Promise<void>;
}
