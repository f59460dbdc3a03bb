/**
 * One connector's dispatch loop: read its route queue (consumer group, higher lanes first), send each message's
 * pending parts through the driver (which paces them by TPS and window), record the outcome of every part and
 * the carrier id to part mapping for receipts, then acknowledge the queue entry.
 * - Work is leased: the worker renews its consumer's lease while it lives, so entries whose parts wait in the
 *   driver's own queue (a throttled carrier) are never taken back and sent again; only a dead consumer's
 *   entries are reclaimed.
 * - While the connector is down the worker sends nothing: it parks what it reads, in order, expires what outlives
 *   its validity, and sends the rest once a bind is up.
 * - Retriable failures go to the retry policy (failover, hold, or backoff); the rest are final.
 * - Submitted messages wait for their receipts until the receipt timeout (`watchUntil`).
 * - A message whose send window is closed when its turn comes (it waited in a backlog past the evening) is not
 *   sent: it is scheduled again for the window's opening, with no attempt counted.
 */
import { isCodedError } from '../../common/index.ts';
import type { EncodedMessage } from '../../drivers/codec/index.ts';
import type { Driver, PartOutcome, SendResult } from '../../drivers/transport/index.ts';
import { gatewayError } from '../errors.ts';
import type { PartSeal } from '../messages/part-seal.ts';
import { fromStoredEncoding } from '../messages/stored-encoding.ts';
import type { MessageChange, MessageEnvelope, MessageSnapshot, StoredEncoding } from '../messages/message-record.ts';
import { isFinalMessageStatus } from '../messages/message-status.ts';
import type { MessageBackend } from '../ports/backend.ts';
import type { AppliedChange } from '../ports/message-store.ts';
import type { QueueEntry } from '../ports/route-queue.ts';
import type { RecentCorrelations } from '../receipts/recent-correlations.ts';
import { recordOutcomes } from './record-outcomes.ts';
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicyConfig } from './retry-policy.ts';

export interface DispatchObserver {
  /** A message changed (for events, webhooks and metrics). */
  changed(applied: AppliedChange, change: MessageChange): Promise<void> | void;
  /** A part outcome, for metrics and logs. */
  submitted?(connectorId: string, outcome: PartOutcome, acceptedAt: number, messageId: string): void;
  /** An entry was handed out again after its worker died: parts may be sent twice. */
  reclaimed?(connectorId: string, entries: number): void;
  /** A message waits for its send window: at its turn (`dispatch`) or for a retry (`retry`). */
  deferred?(accountId: string, stage: 'dispatch' | 'retry'): void;
}

export interface ConnectorWorkerOptions {
  readonly connectorId: string;
  readonly driver: Driver;
  readonly backend: MessageBackend;
  /** Unique per process (consumer name in the group). */
  readonly consumer: string;
  readonly isUp: (connectorId: string) => boolean;
  readonly observer?: DispatchObserver;
  readonly retry?: RetryPolicyConfig;
  /** Messages being sent at once; the driver's window and TPS do the real pacing (default 2,000). */
  readonly maxInFlight?: number;
  readonly readBatch?: number;
  /** Entries of a dead consumer pending longer than this are taken over (default 60 s). */
  readonly reclaimIdleMs?: number;
  /** How long the consumer's lease lasts without renewal (default 30 s; renewed every third of it). */
  readonly leaseMs?: number;
  /** Entries read and parked while the connector is down, at most (default 50,000). */
  readonly parkLimit?: number;
  /** How long a submitted part waits for its final receipt before the receipt timeout resolves it (default 72 h). */
  readonly receiptTimeoutMs?: number;
  /** How long a carrier id stays correlatable with its part (default 72 h). */
  readonly correlationTtlMs?: number;
  /** In-process copy of fresh correlations, so receipts that overtake the store write still match at once. */
  readonly recent?: RecentCorrelations;
  /** The message's send window: undefined when it may go at `at`, else the instant the window opens. */
  readonly window?: (envelope: MessageEnvelope, at: number) => number | undefined;
  /** Opens the sealed parts of masked messages (one-time codes); without it such messages fail. */
  readonly seal?: PartSeal;
  readonly now?: () => number;
}

const IDLE_POLL_MS = 1_000;
export const DEFAULT_RECEIPT_TIMEOUT_MS = 72 * 3_600_000;
const DOWN_POLL_MS = 250;

interface Parked {
  readonly entry: QueueEntry;
  readonly expiresAt: number | undefined;
}

export class ConnectorWorker {
  private running = false;
  private inFlight = 0;
  private readonly drained: (() => void)[] = [];
  private slotFreed: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private lastReclaim = 0;
  private readonly now: () => number;
  private readonly maxInFlight: number;
  /** Entry ids being sent now (with the parked ones, what this worker's own reclaim leaves alone). */
  private readonly sending = new Set<string>();
  /** Read while the connector was down, oldest first: sent first once it is up. */
  private parked: Parked[] = [];
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly options: ConnectorWorkerOptions) {
    this.now = options.now ?? Date.now;
    this.maxInFlight = options.maxInFlight ?? 2_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const leaseMs = this.options.leaseMs ?? 30_000;
    const renew = (): void => void this.options.backend.queue.heartbeat(this.options.consumer, leaseMs).catch(() => undefined);
    renew();
    this.heartbeat = setInterval(renew, Math.max(50, Math.floor(leaseMs / 3)));
    this.heartbeat.unref();
    this.loop = this.run();
  }

  /** Stops reading, then waits for the messages in flight to finish. Parked entries stay pending for a successor. */
  async stop(): Promise<void> {
    this.running = false;
    this.slotFreed?.();
    await this.loop;
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    clearInterval(this.heartbeat);
    // Parked entries stay pending under this consumer: retiring the lease lets another process take them now.
    if (this.parked.length > 0) await this.options.backend.queue.retire(this.options.consumer).catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { backend, connectorId, consumer } = this.options;
    while (this.running) {
      if (this.inFlight >= this.maxInFlight) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        continue;
      }
      if (!this.options.isUp(connectorId)) {
        await this.park();
        continue;
      }
      let entries: readonly QueueEntry[];
      try {
        entries = this.unpark();
        if (entries.length === 0) entries = await this.reclaimDue();
        if (entries.length === 0) {
          const room = Math.min(this.options.readBatch ?? 500, this.maxInFlight - this.inFlight);
          entries = await backend.queue.read(connectorId, consumer, room, IDLE_POLL_MS);
        }
      } catch {
        // The store is unreachable: wait and try again; nothing was taken.
        await delay(IDLE_POLL_MS);
        continue;
      }
      // The connector went down while the read waited: what it gave waits, in order, with what comes after it.
      // (Sent now, each would be refused and requeued at the tail, behind messages accepted after it.)
      if (entries.length > 0 && !this.options.isUp(connectorId)) {
        await this.parkEntries(entries).catch(() => undefined);
        continue;
      }
      for (const entry of entries) this.begin(entry);
    }
  }

  private begin(entry: QueueEntry): void {
    this.inFlight += 1;
    this.sending.add(entry.entryId);
    void this.handle(entry).finally(() => {
      this.sending.delete(entry.entryId);
      this.release();
    });
  }

  /** Up to a slot's worth of parked entries, oldest first. */
  private unpark(): QueueEntry[] {
    if (this.parked.length === 0) return [];
    const room = Math.min(this.options.readBatch ?? 500, this.maxInFlight - this.inFlight);
    return this.parked.splice(0, room).map((parked) => parked.entry);
  }

  /**
   * The connector is down: read what waits (it stays pending under this live consumer, so nobody sends it
   * meanwhile), keep it in order, and give the messages whose validity ends meanwhile their final status.
   */
  private async park(): Promise<void> {
    const { backend, connectorId, consumer } = this.options;
    const limit = this.options.parkLimit ?? 50_000;
    let full = false;
    try {
      let entries: readonly QueueEntry[] = [];
      if (this.parked.length < limit) {
        entries = await this.reclaimDue();
        if (entries.length === 0) {
          const room = Math.min(500, limit - this.parked.length);
          entries = await backend.queue.read(connectorId, consumer, room, 0);
          full = entries.length === room;
        }
      }
      await this.parkEntries(entries);
      await this.expireParked();
    } catch {
      // The store is unreachable: what was read stays pending under this consumer and is found again.
    }
    if (this.options.isUp(connectorId) || !this.running) return;
    // A full batch means more may wait: read on at once, so every parked message's validity is watched.
    await delay(full ? 0 : DOWN_POLL_MS);
  }

  /** Keeps entries read while the connector is down, after those already parked; final messages are acknowledged. */
  private async parkEntries(entries: readonly QueueEntry[]): Promise<void> {
    const { backend, connectorId } = this.options;
    for (const entry of entries) {
      const record = await backend.store.snapshot(entry.messageId);
      if (record === undefined || isFinalMessageStatus(record.status)) {
        await backend.queue.ack(connectorId, [entry]);
        continue;
      }
      this.parked.push({ entry, expiresAt: record.envelope.expiresAt });
    }
  }

  private async expireParked(): Promise<void> {
    const now = this.now();
    const expired = this.parked.filter((parked) => parked.expiresAt !== undefined && parked.expiresAt <= now);
    if (expired.length === 0) return;
    const gone = new Set(expired);
    this.parked = this.parked.filter((parked) => !gone.has(parked));
    for (const { entry } of expired) {
      const record = await this.options.backend.store.snapshot(entry.messageId);
      // Canceled (or otherwise ended) meanwhile: nothing to expire.
      if (record !== undefined && !isFinalMessageStatus(record.status)) await this.expireUnsent(record, now, 'validity period ended while the connector was down');
      await this.options.backend.queue.ack(this.options.connectorId, [entry]);
    }
  }

  /** The validity ended before the message's pending parts could go: they, and so the message, are expired. */
  private async expireUnsent(record: MessageSnapshot, now: number, detail: string): Promise<void> {
    const pending = record.parts.filter((part) => part.status === 'pending').map((part) => part.seq);
    await this.change(record.envelope.id, {
      at: now,
      status: 'expired',
      parts: pending.map((seq) => ({ seq, status: 'expired' as const })),
      timeline: [{ at: now, event: 'expired', connectorId: this.options.connectorId, detail }],
    });
  }

  private release(): void {
    this.inFlight -= 1;
    const freed = this.slotFreed;
    this.slotFreed = undefined;
    freed?.();
    if (this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
  }

  private async reclaimDue(): Promise<readonly QueueEntry[]> {
    const idle = this.options.reclaimIdleMs ?? 60_000;
    const now = this.now();
    if (now - this.lastReclaim < Math.min(idle, 10_000)) return [];
    this.lastReclaim = now;
    const owned = new Set([...this.sending, ...this.parked.map((parked) => parked.entry.entryId)]);
    const entries = await this.options.backend.queue.reclaim(this.options.connectorId, this.options.consumer, idle, 100, owned);
    if (entries.length > 0) this.options.observer?.reclaimed?.(this.options.connectorId, entries.length);
    return entries;
  }

  private async handle(entry: QueueEntry): Promise<void> {
    const { backend, connectorId } = this.options;
    try {
      const record = await backend.store.snapshot(entry.messageId);
      const outcome = record === undefined ? 'done' : await this.dispatch(record, entry);
      // Held: the entry stays pending with this worker, parked in its place, so the message keeps its turn.
      if (outcome === 'held' && record !== undefined) this.parkInPlace(entry, record.envelope.expiresAt);
      else await backend.queue.ack(connectorId, [entry]);
    } catch {
      // Left pending: the reclaim takes it again after the idle time.
    }
  }

  /** `held` when no connector of the route could take the message: it waits for one, keeping its turn. */
  private async dispatch(record: MessageSnapshot, entry: QueueEntry): Promise<'done' | 'held'> {
    const { connectorId, driver } = this.options;
    if (isFinalMessageStatus(record.status)) return 'done';
    const now = this.now();
    const pending = record.parts.filter((part) => part.status === 'pending').map((part) => part.seq);
    if (pending.length === 0) return 'done';
    const envelope = record.envelope;
    if (envelope.expiresAt !== undefined && now >= envelope.expiresAt) {
      await this.expireUnsent(record, now, 'validity period ended before sending');
      return 'done';
    }
    const opening = this.options.window?.(envelope, now);
    if (opening !== undefined) {
      await this.deferToWindow(record, entry, now, opening);
      return 'done';
    }
    let encoded: EncodedMessage;
    try {
      encoded = fromStoredEncoding(this.unsealed(envelope.encoded));
    } catch (error: unknown) {
      // A seal this process cannot open (no or another deployment secret) will not open on a retry either.
      const failure = isCodedError(error) ? error : gatewayError('GW_CORRUPT_RECORD', String(error));
      return this.record(record, entry, { connectorId, parts: pending.map((seq) => ({ seq, status: 'failed' as const, error: failure })) });
    }
    await this.change(envelope.id, { at: now, status: 'sending', timeline: [{ at: now, event: 'sending', connectorId }] });
    const index = envelope.connectors.indexOf(connectorId);
    const from = (index >= 0 ? envelope.senders?.[index] : undefined) ?? envelope.from ?? '';
    let result: SendResult;
    try {
      result = await driver.send({
        messageId: envelope.id,
        to: envelope.to,
        from,
        encoded,
        receipt: envelope.receipt,
        carrier: envelope.carrier,
        ...(envelope.expiresAt === undefined ? {} : { validitySeconds: Math.max(60, Math.floor((envelope.expiresAt - now) / 1000)) }),
        onlyParts: pending,
      });
    } catch (error: unknown) {
      const failure = gatewayError('GW_DRIVER_FAILED', error instanceof Error ? error.message : String(error));
      result = { connectorId, parts: pending.map((seq) => ({ seq, status: 'failed' as const, error: failure })) };
    }
    return this.record(record, entry, result);
  }

  /** The parts as they are sent: a masked message's sealed parts opened (see part-seal.ts). */
  private unsealed(stored: StoredEncoding): StoredEncoding {
    if (stored.sealed === undefined) return stored;
    if (this.options.seal === undefined) throw gatewayError('GW_CORRUPT_RECORD', 'the message is sealed and this process has no deployment secret to open it');
    return this.options.seal.open(stored);
  }

  /** The window is closed: the message waits for it in the schedule (or expires, when its validity ends first). */
  private async deferToWindow(record: MessageSnapshot, entry: QueueEntry, now: number, opening: number): Promise<void> {
    const { backend, connectorId } = this.options;
    const envelope = record.envelope;
    if (envelope.expiresAt !== undefined && opening >= envelope.expiresAt) {
      await this.expireUnsent(record, now, 'validity period ends before the send window opens');
      return;
    }
    await this.change(envelope.id, {
      at: now,
      status: 'scheduled',
      timeline: [
        { at: now, event: 'scheduled', connectorId },
        { at: now, event: 'deferred', connectorId, until: opening, detail: 'send window closed' },
      ],
    });
    await backend.queue.schedule(connectorId, envelope.lane, { messageId: envelope.id, attempt: entry.attempt }, opening);
    this.options.observer?.deferred?.(envelope.accountId, 'dispatch');
  }

  private async record(record: MessageSnapshot, entry: QueueEntry, result: SendResult): Promise<'done' | 'held'> {
    const { backend, connectorId, observer } = this.options;
    const at = this.now();
    const envelope = record.envelope;
    for (const outcome of result.parts) observer?.submitted?.(connectorId, outcome, envelope.createdAt, envelope.id);
    const recorded = recordOutcomes(result.parts, { connectorId, at, correlationTtlMs: this.options.correlationTtlMs ?? 259_200_000 });
    const { timeline, retriable, correlations } = recorded;
    let { parts } = recorded;
    const decision =
      retriable.length === 0
        ? undefined
        : decideRetry(this.options.retry ?? DEFAULT_RETRY_POLICY, {
            attempt: entry.attempt,
            connectors: envelope.connectors,
            current: connectorId,
            isUp: this.options.isUp,
            now: at,
            ...(envelope.expiresAt === undefined ? {} : { expiresAt: envelope.expiresAt }),
            ...(this.options.window === undefined ? {} : { opening: (time: number) => this.options.window?.(envelope, time) }),
          });
    if (decision?.kind === 'give-up') {
      const final = decision.reason === 'validity' ? ('expired' as const) : ('failed' as const);
      parts = parts.map((update) => (retriable.includes(update.seq) ? { ...update, status: final } : update));
      const detail = decision.reason === 'validity' ? 'validity period ended before a retry' : `gave up after ${entry.attempt + 1} attempts`;
      timeline.push({ at, event: `part:${final}`, connectorId, detail });
    } else if (decision?.kind === 'hold') {
      timeline.push({ at, event: 'queued', connectorId: decision.connectorId, detail: 'held: no connector of the route is up' });
    } else if (decision !== undefined) {
      timeline.push({
        at,
        event: 'queued',
        connectorId: decision.connectorId,
        detail: `${decision.failover ? 'failover' : 'retry'} attempt ${decision.attempt} in ${decision.delayMs} ms`,
      });
      if (decision.deferredUntil !== undefined) {
        timeline.push({ at, event: 'deferred', connectorId: decision.connectorId, until: decision.deferredUntil, detail: 'send window closed: the retry waits' });
        observer?.deferred?.(envelope.accountId, 'retry');
      }
    }
    // Parts waiting for a retry put the message back to queued, unless a part already failed for good.
    const requeued = (decision?.kind === 'retry' || decision?.kind === 'hold') && parts.every((p) => p.status !== 'failed');
    // Submitted parts wait for their receipts; past the timeout the receipt timeout resolves them.
    const watchUntil = correlations.length > 0 ? at + (this.options.receiptTimeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS) : undefined;
    // The correlations go with the part updates in one atomic write: a fast SMSC's receipt finds its part only
    // once the part is recorded as submitted, so no receipt is applied ahead of its submit.
    const stored = this.change(envelope.id, {
      at,
      parts,
      rollUp: true,
      timeline,
      correlations,
      ...(requeued ? { status: 'queued' as const } : {}),
      ...(watchUntil === undefined ? {} : { watchUntil }),
    }).then(() => {
      for (const c of correlations) this.options.recent?.set(connectorId, c.carrierMessageId, { messageId: envelope.id, seq: c.seq, submittedAt: c.submittedAt });
    });
    // Receipts that overtake this write wait for it (see RecentCorrelations.track) rather than being held.
    this.options.recent?.track(connectorId, correlations.map((c) => c.carrierMessageId), stored);
    await stored;
    // The retry entry goes in only after the outcomes are stored, so its worker never resends a submitted part;
    // a crash in between leaves this entry unacknowledged, and its reclaim does the same again.
    if (decision?.kind === 'hold') {
      if (decision.connectorId === connectorId) return 'held';
      await backend.queue.enqueue(decision.connectorId, envelope.lane, { messageId: envelope.id, attempt: decision.attempt });
    } else if (decision?.kind === 'retry') {
      const item = { messageId: envelope.id, attempt: decision.attempt };
      if (decision.delayMs === 0) await backend.queue.enqueue(decision.connectorId, envelope.lane, item);
      else await backend.queue.schedule(decision.connectorId, envelope.lane, item, at + decision.delayMs);
    }
    return 'done';
  }

  /** Parks an entry that was sent and held ahead of those read after it (stream ids grow with time). */
  private parkInPlace(entry: QueueEntry, expiresAt: number | undefined): void {
    const later = this.parked.findIndex((parked) => compareEntryIds(parked.entry.entryId, entry.entryId) > 0);
    this.parked.splice(later < 0 ? this.parked.length : later, 0, { entry, expiresAt });
  }

  private async change(id: string, change: MessageChange): Promise<void> {
    const applied = await this.options.backend.store.apply(id, change);
    if (applied !== undefined) await this.options.observer?.changed(applied, change);
  }
}

/** Orders queue entry ids `<ms>-<seq>` (Redis stream ids, and the memory queue's alike) by time, then sequence. */
function compareEntryIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
