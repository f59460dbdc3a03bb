/**
 * Work queues per connector and lane, with the semantics of Redis Streams consumer groups: an entry read by a
 * consumer stays pending until acknowledged. Work is leased: a consumer renews its lease (`heartbeat`) while it
 * lives, and reclaim takes only the entries of consumers whose lease ran out, however long a live consumer holds
 * its entries (a throttled carrier can keep parts waiting in the driver for minutes). Delayed entries (scheduled
 * sends, retry backoff) wait in a schedule until due.
 */
import type { Lane } from '../messages/message-record.ts';

export interface QueueItem {
  readonly messageId: string;
  /** 0 for the first try; retries and failovers count up. */
  readonly attempt: number;
}

export interface QueueEntry extends QueueItem {
  /** The queue's own id for acknowledging. */
  readonly entryId: string;
  readonly lane: Lane;
  /** How many times this entry was handed to a consumer (above 1 after a reclaim). */
  readonly deliveries: number;
}

export interface LaneDepth {
  readonly lane: Lane;
  /** Entries not yet handed to any consumer. */
  readonly waiting: number;
  /** Handed out and not yet acknowledged. */
  readonly pending: number;
}

export interface RouteQueue {
  enqueue(connectorId: string, lane: Lane, item: QueueItem): Promise<void>;
  /** Enqueues at `at` (epoch ms); `moveDue` puts it in its lane then. */
  schedule(connectorId: string, lane: Lane, item: QueueItem, at: number): Promise<void>;
  /** Moves every scheduled entry due at `now` into its queue; resolves to how many moved. */
  moveDue(now: number, limit: number): Promise<number>;
  /**
   * Up to `count` entries for `consumer`, higher lanes first; waits up to `blockMs` when none is waiting.
   * Resolves to an empty list on timeout.
   */
  read(connectorId: string, consumer: string, count: number, blockMs: number): Promise<readonly QueueEntry[]>;
  ack(connectorId: string, entries: readonly Pick<QueueEntry, 'entryId' | 'lane'>[]): Promise<void>;
  /** Renews `consumer`'s lease for `ttlMs`: while it holds, reclaim leaves that consumer's entries alone. */
  heartbeat(consumer: string, ttlMs: number): Promise<void>;
  /** Ends `consumer`'s lease at once (a graceful stop, after its entries are acknowledged). */
  retire(consumer: string): Promise<void>;
  /**
   * Entries pending longer than `minIdleMs` whose consumer's lease ran out, handed to `consumer` instead; and
   * `consumer`'s own such entries that are not in `held` (ones it lost track of, e.g. after a store error).
   * Entries of other live consumers are never taken.
   */
  reclaim(connectorId: string, consumer: string, minIdleMs: number, count: number, held?: ReadonlySet<string>): Promise<readonly QueueEntry[]>;
  depth(connectorId: string): Promise<readonly LaneDepth[]>;
  close(): Promise<void>;
}
