import type { InboundStore } from './inbound-store.ts';
import type { MessageStore } from './message-store.ts';
import type { RouteQueue } from './route-queue.ts';
import type { WebhookJob } from '../webhooks/webhook-dispatcher.ts';
import type { DurableWebhookQueue } from '../webhooks/webhook-sender.ts';

/** Webhook jobs that survive restarts, stored once per event id. */
export interface WebhookJobQueue extends DurableWebhookQueue {
  /** Stores jobs not seen before; resolves to how many were new. */
  add(jobs: readonly WebhookJob[], now: number): Promise<number>;
}

/** A store and its queues from one adapter family: the store's insert enqueues atomically into these queues. */
export interface MessageBackend {
  readonly kind: 'memory' | 'redis';
  readonly store: MessageStore;
  readonly queue: RouteQueue;
  readonly inbound: InboundStore;
  /** Durable webhook jobs, where the backend can keep them (Redis); without, webhooks wait in memory. */
  readonly webhooks?: WebhookJobQueue;
  /** True when the backing service answers (always for memory). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
