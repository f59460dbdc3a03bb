/**
 * Work queues per connector and lane, with the semantics of Redis Streams consumer groups: an entry read by a
 * consumer stays pending until acknowledged, and entries pending too long (a crashed worker's) are reclaimed
 * by another consumer. Delayed entries (scheduled sends, retry backoff) wait in a schedule until due.
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
  /** Entries pending longer than `minIdleMs` with any consumer, handed to `consumer` instead. */
  reclaim(connectorId: string, consumer: string, minIdleMs: number, count: number): Promise<readonly QueueEntry[]>;
  depth(connectorId: string): Promise<readonly LaneDepth[]>;
  close(): Promise<void>;
}
