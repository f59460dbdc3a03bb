import type { MessageStore } from './message-store.ts';
import type { RouteQueue } from './route-queue.ts';

/** A store and its queues from one adapter family: the store's insert enqueues atomically into these queues. */
export interface MessageBackend {
  readonly kind: 'memory' | 'redis';
  readonly store: MessageStore;
  readonly queue: RouteQueue;
  /** True when the backing service answers (always for memory). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
