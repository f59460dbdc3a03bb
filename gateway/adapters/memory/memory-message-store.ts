/**
 * Messages in process memory for the embedded default: the same contract as the Redis store, bounded by a
 * record cap (the oldest finished messages go first) so a long run does not grow without limit.
 * It survives nothing: a restart loses every message.
 */
import { gatewayError } from '../../errors.ts';
import { applyChange } from '../../messages/apply-change.ts';
import type { MessageChange, MessageRecord } from '../../messages/message-record.ts';
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
  /** Above this many records the oldest final ones are dropped (default 200,000). */
  readonly maxRecords?: number;
  readonly now?: () => number;
}

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
  private readonly maxRecords: number;
  private readonly now: () => number;

  constructor(
    private readonly queue: MemoryRouteQueue,
    options: MemoryMessageStoreOptions = {},
  ) {
    this.maxRecords = options.maxRecords ?? 200_000;
    this.now = options.now ?? Date.now;
  }

  insert(record: MessageRecord, placement: Placement, idempotency?: IdempotencyClaim): Promise<InsertResult> {
    const id = record.envelope.id;
    if (idempotency !== undefined) {
      const key = `${idempotency.accountId}\u0000${idempotency.key}`;
      const existing = this.live(this.idempotency, key);
      if (existing !== undefined) return Promise.resolve({ inserted: false, id: existing.id, conflict: existing.fingerprint !== idempotency.fingerprint });
      this.idempotency.set(key, { value: { id, fingerprint: idempotency.fingerprint }, expiresAt: this.now() + idempotency.ttlMs });
    }
    this.records.set(id, record);
    if (isFinalMessageStatus(record.status)) this.finals.push(id);
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

  apply(id: string, change: MessageChange): Promise<AppliedChange | undefined> {
    const record = this.records.get(id);
    if (record === undefined) return Promise.resolve(undefined);
    const next = applyChange(record, change);
    this.records.set(id, next);
    if (!isFinalMessageStatus(record.status) && isFinalMessageStatus(next.status)) this.finals.push(id);
    if (isFinalMessageStatus(next.status)) this.watches.delete(id);
    else if (change.watchUntil !== undefined) this.watches.set(id, Math.max(change.watchUntil, this.watches.get(id) ?? 0));
    for (const c of change.correlations ?? []) void this.correlate(c.connectorId, c.carrierMessageId, { messageId: id, seq: c.seq, submittedAt: c.submittedAt }, c.ttlMs);
    const movedParts = next.parts.filter((part, index) => part.status !== record.parts[index]?.status).map((part) => part.seq);
    return Promise.resolve({ id, record: next, previousStatus: record.status, status: next.status, movedParts });
  }

  correlate(connectorId: string, carrierMessageId: string, correlation: Correlation, ttlMs: number): Promise<void> {
    this.correlations.set(`${connectorId}\u0000${carrierMessageId}`, { value: correlation, expiresAt: this.now() + ttlMs });
    if (this.correlations.size > this.maxRecords * 2) trimOldest(this.correlations, this.maxRecords * 2, this.now());
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
   * Drops the oldest final messages beyond `maxRecords`, in the order they became final. Messages still on
   * their way are never dropped (the store then grows with the backlog), and finding the droppable ones never
   * means walking past them: a backlog of 200,000 queued messages once made every insert scan it.
   */
  private evict(): void {
    while (this.records.size > this.maxRecords && this.finalsHead < this.finals.length) {
      const id = this.finals[this.finalsHead] as string;
      this.finalsHead += 1;
      this.records.delete(id);
    }
    if (this.finalsHead > 4096 && this.finalsHead * 2 > this.finals.length) {
      this.finals.splice(0, this.finalsHead);
      this.finalsHead = 0;
    }
    if (this.idempotency.size > this.maxRecords) trimOldest(this.idempotency, this.maxRecords, this.now());
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
