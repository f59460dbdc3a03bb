/**
 * Route queues in process memory, with the consumer-group semantics of the Redis adapter (pending entries,
 * reclaim after idle time, schedule), for the embedded default. It survives nothing: a restart loses it.
 */
import { LANES, type Lane } from '../../messages/message-record.ts';
import type { LaneDepth, QueueEntry, QueueItem, RouteQueue } from '../../ports/route-queue.ts';

interface Pending {
  readonly entry: QueueEntry;
  consumer: string;
  since: number;
}

interface LaneQueue {
  readonly waiting: QueueEntry[];
  /** Read position in `waiting` (compacted now and then rather than shifting on every read). */
  head: number;
  readonly pending: Map<string, Pending>;
}

interface Scheduled {
  readonly at: number;
  readonly connectorId: string;
  readonly lane: Lane;
  readonly item: QueueItem;
}

export interface MemoryRouteQueueOptions {
  readonly now?: () => number;
}

export class MemoryRouteQueue implements RouteQueue {
  private readonly queues = new Map<string, Map<Lane, LaneQueue>>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Lease end (epoch ms) per consumer. */
  private readonly leases = new Map<string, number>();
  private scheduled: Scheduled[] = [];
  private sequence = 0;
  private closed = false;
  private readonly now: () => number;

  constructor(options: MemoryRouteQueueOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  enqueue(connectorId: string, lane: Lane, item: QueueItem): Promise<void> {
    this.enqueueNow(connectorId, lane, item);
    return Promise.resolve();
  }

  /** Synchronous enqueue, so the memory store can insert a record and its entry in one step. */
  enqueueNow(connectorId: string, lane: Lane, item: QueueItem): void {
    this.sequence += 1;
    const entry: QueueEntry = { ...item, entryId: `${this.now()}-${this.sequence}`, lane, deliveries: 0 };
    this.lane(connectorId, lane).waiting.push(entry);
    const waiters = this.waiters.get(connectorId);
    if (waiters !== undefined) {
      this.waiters.delete(connectorId);
      for (const waiter of waiters) waiter.wake();
    }
  }

  schedule(connectorId: string, lane: Lane, item: QueueItem, at: number): Promise<void> {
    this.scheduleNow(connectorId, lane, item, at);
    return Promise.resolve();
  }

  scheduleNow(connectorId: string, lane: Lane, item: QueueItem, at: number): void {
    this.scheduled.push({ at, connectorId, lane, item });
  }

  moveDue(now: number, limit: number): Promise<number> {
    if (this.scheduled.length === 0) return Promise.resolve(0);
    const due = this.scheduled.filter((s) => s.at <= now).sort((a, b) => a.at - b.at).slice(0, limit);
    if (due.length === 0) return Promise.resolve(0);
    const moved = new Set(due);
    this.scheduled = this.scheduled.filter((s) => !moved.has(s));
    for (const s of due) this.enqueueNow(s.connectorId, s.lane, s.item);
    return Promise.resolve(due.length);
  }

  async read(connectorId: string, consumer: string, count: number, blockMs: number): Promise<readonly QueueEntry[]> {
    const entries = this.take(connectorId, consumer, count);
    if (entries.length > 0 || blockMs <= 0 || this.closed) return entries;
    await new Promise<void>((resolve) => {
      const waiters = this.waiters.get(connectorId) ?? new Set<Waiter>();
      this.waiters.set(connectorId, waiters);
      waiters.add(new Waiter(waiters, resolve, blockMs));
    });
    return this.take(connectorId, consumer, count);
  }

  ack(connectorId: string, entries: readonly Pick<QueueEntry, 'entryId' | 'lane'>[]): Promise<void> {
    for (const entry of entries) this.lane(connectorId, entry.lane).pending.delete(entry.entryId);
    return Promise.resolve();
  }

  heartbeat(consumer: string, ttlMs: number): Promise<void> {
    this.leases.set(consumer, this.now() + ttlMs);
    return Promise.resolve();
  }

  retire(consumer: string): Promise<void> {
    this.leases.delete(consumer);
    return Promise.resolve();
  }

  reclaim(connectorId: string, consumer: string, minIdleMs: number, count: number, held?: ReadonlySet<string>): Promise<readonly QueueEntry[]> {
    const now = this.now();
    const claimed: QueueEntry[] = [];
    for (const lane of LANES) {
      for (const pending of this.lane(connectorId, lane).pending.values()) {
        if (claimed.length >= count) break;
        if (now - pending.since < minIdleMs) continue;
        if (pending.consumer === consumer ? held?.has(pending.entry.entryId) === true : (this.leases.get(pending.consumer) ?? 0) > now) continue;
        const entry: QueueEntry = { ...pending.entry, deliveries: pending.entry.deliveries + 1 };
        this.lane(connectorId, lane).pending.set(entry.entryId, { entry, consumer, since: now });
        claimed.push(entry);
      }
    }
    return Promise.resolve(claimed);
  }

  depth(connectorId: string): Promise<readonly LaneDepth[]> {
    return Promise.resolve(
      LANES.map((lane) => {
        const queue = this.lane(connectorId, lane);
        return { lane, waiting: queue.waiting.length - queue.head, pending: queue.pending.size };
      }),
    );
  }

  close(): Promise<void> {
    this.closed = true;
    for (const waiters of this.waiters.values()) for (const waiter of waiters) waiter.wake();
    this.waiters.clear();
    return Promise.resolve();
  }

  private take(connectorId: string, consumer: string, count: number): QueueEntry[] {
    const taken: QueueEntry[] = [];
    const now = this.now();
    for (const lane of LANES) {
      const queue = this.lane(connectorId, lane);
      while (taken.length < count && queue.head < queue.waiting.length) {
        const waiting = queue.waiting[queue.head] as QueueEntry;
        queue.head += 1;
        const entry: QueueEntry = { ...waiting, deliveries: waiting.deliveries + 1 };
        queue.pending.set(entry.entryId, { entry, consumer, since: now });
        taken.push(entry);
      }
      if (queue.head > 1024 && queue.head * 2 > queue.waiting.length) {
        queue.waiting.splice(0, queue.head);
        queue.head = 0;
      }
    }
    return taken;
  }

  private lane(connectorId: string, lane: Lane): LaneQueue {
    let lanes = this.queues.get(connectorId);
    if (lanes === undefined) {
      lanes = new Map();
      this.queues.set(connectorId, lanes);
    }
    let queue = lanes.get(lane);
    if (queue === undefined) {
      queue = { waiting: [], head: 0, pending: new Map() };
      lanes.set(lane, queue);
    }
    return queue;
  }
}

/**
 * A read waiting for work, woken by an enqueue or by its timer, whichever comes first. A class rather than a
 * closure built per read: tsx (keepNames) names each such closure with Object.defineProperty, about 0.5 µs, and a
 * dispatch worker blocks here every time its queue runs empty.
 */
class Waiter {
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly waiters: Set<Waiter>,
    private readonly resolve: () => void,
    blockMs: number,
  ) {
    this.timer = setTimeout(() => this.wake(), blockMs);
  }

  wake(): void {
    clearTimeout(this.timer);
    this.waiters.delete(this);
    this.resolve();
  }
}
