/**
 * Messages in process memory for the embedded default: the same contract as the Redis store, bounded so that a
 * long run holds a steady amount of memory: at most `maxFinalMessages` finished messages (the oldest finished go
 * first, with their carrier correlations) and at most `maxPendingMessages` messages on their way. A message on its
 * way is a promise and is never dropped: at that bound a new one is refused (GW_BACKLOG_FULL, retriable).
 * It survives nothing: a restart loses every message.
 */
import { gatewayError } from '../../errors.ts';
import { applyChange } from '../../messages/apply-change.ts';
import type { MessageChange, MessageRecord, MessageSnapshot } from '../../messages/message-record.ts';
import { isFinalMessageStatus } from '../../messages/message-status.ts';
import type {
  AppliedChange,
  ClaimResult,
  Correlation,
  IdempotencyClaim,
  InsertResult,
  MessagePage,
  MessageQuery,
  MessageStore,
  Placement,
} from '../../ports/message-store.ts';
import { decodeCursor, encodeCursor, matchesQuery, newestFirst } from '../shared/message-query.ts';
import type { MemoryRouteQueue } from './memory-route-queue.ts';

export interface MemoryMessageStoreOptions {
  /** Finished messages kept for reads; beyond it the oldest finished go first (default 10,000). */
  readonly maxFinalMessages?: number;
  /** Messages on their way at most; at it new ones are refused with GW_BACKLOG_FULL (default 200,000). */
  readonly maxPendingMessages?: number;
  readonly now?: () => number;
}

export const DEFAULT_MAX_FINAL_MESSAGES = 10_000;
export const DEFAULT_MAX_PENDING_MESSAGES = 200_000;
/** Seconds a client refused by the pending bound is told to wait (Retry-After). */
const STORE_FULL_RETRY_AFTER_S = 5;

interface Expiring<T> {
  readonly value: T;
  readonly expiresAt: number;
}

export class MemoryMessageStore implements MessageStore {
  private readonly records = new Map<string, MessageRecord>();
  /** Idempotency keys: the message id (empty for a batch claim) and the request's fingerprint. */
  private readonly idempotency = new Map<string, Expiring<{ readonly id: string; readonly fingerprint: string }>>();
  private readonly correlations = new Map<string, Expiring<Correlation>>();
  /** Receipt waits: message id to the time its wait ends. */
  private readonly watches = new Map<string, number>();
  /** Ids of messages in the order they became final (the eviction order). */
  private readonly finals: string[] = [];
  private finalsHead = 0;
  /** Records held whose status is final (the rest are on their way). */
  private finalCount = 0;
  private readonly maxFinal: number;
  private readonly maxPending: number;
  private readonly now: () => number;

  constructor(
    private readonly queue: MemoryRouteQueue,
    options: MemoryMessageStoreOptions = {},
  ) {
    this.maxFinal = options.maxFinalMessages ?? DEFAULT_MAX_FINAL_MESSAGES;
    this.maxPending = options.maxPendingMessages ?? DEFAULT_MAX_PENDING_MESSAGES;
    this.now = options.now ?? Date.now;
  }

  /** What the store holds now: finished messages, messages on their way, and the side maps (for tests and metrics). */
  counts(): { readonly final: number; readonly pending: number; readonly correlations: number; readonly idempotencyKeys: number; readonly watches: number } {
    return {
      final: this.finalCount,
      pending: this.records.size - this.finalCount,
      correlations: this.correlations.size,
      idempotencyKeys: this.idempotency.size,
      watches: this.watches.size,
    };
  }

  insert(record: MessageRecord, placement: Placement, idempotency?: IdempotencyClaim): Promise<InsertResult> {
    const id = record.envelope.id;
    const key = idempotency === undefined ? undefined : `${idempotency.accountId}\u0000${idempotency.key}`;
    if (idempotency !== undefined && key !== undefined) {
      const existing = this.live(this.idempotency, key);
      if (existing !== undefined) return Promise.resolve({ inserted: false, id: existing.id, conflict: existing.fingerprint !== idempotency.fingerprint });
    }
    const final = isFinalMessageStatus(record.status);
    const pending = this.records.size - this.finalCount;
    if (!final && pending >= this.maxPending) {
      return Promise.reject(
        gatewayError('GW_BACKLOG_FULL', `${pending} messages are on their way in this process's memory store (bound: memory.maxPendingMessages ${this.maxPending})`, {
          bound: 'store',
          limit: this.maxPending,
          retryAfter: STORE_FULL_RETRY_AFTER_S,
        }),
      );
    }
    if (idempotency !== undefined && key !== undefined) {
      this.idempotency.set(key, { value: { id, fingerprint: idempotency.fingerprint }, expiresAt: this.now() + idempotency.ttlMs });
    }
    const previous = this.records.get(id);
    if (previous !== undefined && isFinalMessageStatus(previous.status)) this.finalCount -= 1;
    this.records.set(id, record);
    if (final) {
      this.finals.push(id);
      this.finalCount += 1;
    }
    const item = { messageId: id, attempt: placement.attempt };
    if (placement.kind === 'queue') this.queue.enqueueNow(placement.connectorId, placement.lane, item);
    else this.queue.scheduleNow(placement.connectorId, placement.lane, item, placement.at);
    this.evict();
    return Promise.resolve({ inserted: true, id });
  }

  claimIdempotency(claim: IdempotencyClaim): Promise<ClaimResult> {
    const key = `${claim.accountId}\u0000${claim.key}`;
    const existing = this.live(this.idempotency, key);
    if (existing !== undefined) return Promise.resolve({ claimed: false, conflict: existing.fingerprint !== claim.fingerprint });
    this.idempotency.set(key, { value: { id: '', fingerprint: claim.fingerprint }, expiresAt: this.now() + claim.ttlMs });
    this.evict();
    return Promise.resolve({ claimed: true, conflict: false });
  }

  get(id: string): Promise<MessageRecord | undefined> {
    return Promise.resolve(this.records.get(id));
  }

  snapshot(id: string): Promise<MessageSnapshot | undefined> {
    const record = this.records.get(id);
    if (record === undefined) return Promise.resolve(undefined);
    return Promise.resolve({ envelope: record.envelope, status: record.status, parts: record.parts });
  }

  apply(id: string, change: MessageChange): Promise<AppliedChange | undefined> {
    const record = this.records.get(id);
    if (record === undefined) return Promise.resolve(undefined);
    const next = applyChange(record, change);
    this.records.set(id, next);
    const wasFinal = isFinalMessageStatus(record.status);
    const isFinal = isFinalMessageStatus(next.status);
    if (!wasFinal && isFinal) {
      this.finals.push(id);
      this.finalCount += 1;
    } else if (wasFinal && !isFinal) this.finalCount -= 1;
    if (isFinal) this.watches.delete(id);
    else if (change.watchUntil !== undefined) this.watches.set(id, Math.max(change.watchUntil, this.watches.get(id) ?? 0));
    for (const c of change.correlations ?? []) void this.correlate(c.connectorId, c.carrierMessageId, { messageId: id, seq: c.seq, submittedAt: c.submittedAt }, c.ttlMs);
    const movedParts = next.parts.filter((part, index) => part.status !== record.parts[index]?.status).map((part) => part.seq);
    if (isFinal && !wasFinal) this.evict();
    return Promise.resolve({ id, record: next, previousStatus: record.status, status: next.status, movedParts });
  }

  correlate(connectorId: string, carrierMessageId: string, correlation: Correlation, ttlMs: number): Promise<void> {
    this.correlations.set(`${connectorId}\u0000${carrierMessageId}`, { value: correlation, expiresAt: this.now() + ttlMs });
    const cap = this.correlationCap();
    if (this.correlations.size > cap) trimOldest(this.correlations, cap, this.now());
    return Promise.resolve();
  }

  findCorrelation(connectorId: string, carrierMessageId: string): Promise<Correlation | undefined> {
    return Promise.resolve(this.live(this.correlations, `${connectorId}\u0000${carrierMessageId}`));
  }

  claimDueWatches(now: number, limit: number, leaseMs: number): Promise<readonly string[]> {
    const due: string[] = [];
    for (const [id, at] of this.watches) {
      if (due.length >= limit) break;
      if (at <= now) due.push(id);
    }
    for (const id of due) this.watches.set(id, now + leaseMs);
    return Promise.resolve(due);
  }

  list(query: MessageQuery): Promise<MessagePage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) return Promise.reject(gatewayError('GW_INVALID_CURSOR', query.cursor));
    const matching = [...this.records.values()].filter((record) => matchesQuery(record, query)).sort(newestFirst);
    const start = after === undefined ? 0 : matching.findIndex((record) => newestFirst(record, after) > 0);
    const items = start < 0 ? [] : matching.slice(start, start + query.limit);
    const last = items.at(-1);
    const more = start >= 0 && start + query.limit < matching.length;
    return Promise.resolve(more && last !== undefined ? { items, nextCursor: encodeCursor(last) } : { items });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private live<T>(map: Map<string, Expiring<T>>, key: string): T | undefined {
    const found = map.get(key);
    if (found === undefined) return undefined;
    if (found.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return found.value;
  }

  /**
   * A safety cap on correlations: normally they go with their message (see evict), but a part may have been
   * correlated more than once (resubmitted), so the map is also held to two per message the store may hold.
   */
  private correlationCap(): number {
    return 2 * (this.maxFinal + this.maxPending);
  }

  /**
   * Drops the oldest final messages beyond `maxFinalMessages`, in the order they became final, with their parts'
   * carrier correlations (a receipt for a message no longer held could change nothing). Messages still on their way
   * are never dropped (insert refuses new ones at `maxPendingMessages` instead), and finding the droppable ones
   * never means walking past them: a backlog of 200,000 queued messages once made every insert scan it.
   */
  private evict(): void {
    while (this.finalCount > this.maxFinal && this.finalsHead < this.finals.length) {
      const id = this.finals[this.finalsHead] as string;
      this.finalsHead += 1;
      const record = this.records.get(id);
      // Gone already, or on its way again (an id listed twice): not this entry's to drop.
      if (record === undefined || !isFinalMessageStatus(record.status)) continue;
      this.records.delete(id);
      this.finalCount -= 1;
      for (const part of record.parts) {
        if (part.connectorId === undefined || part.carrierMessageId === undefined) continue;
        const key = `${part.connectorId}\u0000${part.carrierMessageId}`;
        if (this.correlations.get(key)?.value.messageId === id) this.correlations.delete(key);
      }
    }
    if (this.finalsHead > 4096 && this.finalsHead * 2 > this.finals.length) {
      this.finals.splice(0, this.finalsHead);
      this.finalsHead = 0;
    }
    const idempotencyCap = this.maxFinal + this.maxPending;
    if (this.idempotency.size > idempotencyCap) trimOldest(this.idempotency, idempotencyCap, this.now());
  }
}

/**
 * Bounds a map of expiring entries: drops the oldest (insertion order, which is expiry order for one TTL) down to
 * 90% of `limit`, expired or not. Sweeping the whole map for expired entries instead would scan it on every
 * insert once it is full of live entries.
 */
function trimOldest<T>(map: Map<string, Expiring<T>>, limit: number, now: number): void {
  const target = Math.floor(limit * 0.9);
  for (const [key, entry] of map) {
    if (map.size <= target && entry.expiresAt > now) break;
    map.delete(key);
  }
}
