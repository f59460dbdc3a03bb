/**
 * Writes records to Kafka without ever losing one: records are batched and sent one batch at a time (so their
 * order holds); when a send fails, that batch and everything after it go to a durable outbox (a Redis stream),
 * and a relay flushes the outbox to Kafka in order once Kafka answers again. Only when the outbox is empty does
 * publishing go straight to Kafka again. A caller's promise resolves once its record is in Kafka or in the
 * outbox; it rejects only when neither could take it.
 *
 * The outbox limit does not drop anything: records of messages already accepted always go in, and the gateway
 * refuses new messages while the outbox is at or over its limit (see `accepting`).
 */
import { gatewayError } from '../errors.ts';

export interface OutboundRecord {
  readonly topic: string;
  readonly key: string;
  /** JSON text. */
  readonly value: string;
}

/** Kafka, as the publisher needs it. */
export interface RecordSink {
  send(records: readonly OutboundRecord[]): Promise<void>;
  /**
   * Gives up on the connection a send is stuck on: sends under way reject, and the next one starts afresh (the
   * relay's flush must not queue behind a send the publisher already spilled to the outbox).
   */
  reset?(): void;
}

/** The durable waiting room. */
export interface Outbox {
  append(records: readonly OutboundRecord[]): Promise<void>;
  size(): Promise<number>;
  /** Oldest first. */
  read(limit: number): Promise<{ readonly id: string; readonly record: OutboundRecord }[]>;
  remove(ids: readonly string[]): Promise<void>;
  /** Whether `owner` flushes the outbox for the next `ttlMs` (one process at a time keeps the order). */
  lead(owner: string, ttlMs: number): Promise<boolean>;
}

export interface PublisherObserver {
  published?(topic: string, count: number): void;
  outboxSize?(size: number): void;
  /** Kafka refused or timed out; records now go to the outbox. */
  fellBack?(reason: string): void;
  flushed?(count: number): void;
}

export interface DurablePublisherOptions {
  readonly sink: RecordSink;
  readonly outbox: Outbox;
  /** Outbox size at which new messages are refused (default 100,000). */
  readonly maxOutbox?: number;
  readonly maxBatch?: number;
  /** How often the outbox is checked and flushed (default 250 ms). */
  readonly relayEveryMs?: number;
  /**
   * How long a direct send may go unanswered before its batch, and everything after it, go to the outbox instead
   * (default 5 s). Until placed, records live only in this process's memory, where a kill loses them; the sink's
   * own bound (a broker that accepts connections but never answers) is far longer.
   */
  readonly spillAfterMs?: number;
  /** This process's name for the outbox lead. */
  readonly owner: string;
  readonly observer?: PublisherObserver;
}

export const DEFAULT_SPILL_AFTER_MS = 5_000;

interface Pending {
  readonly record: OutboundRecord;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class DurablePublisher {
  private pending: Pending[] = [];
  private mode: 'direct' | 'outbox' = 'direct';
  private draining = false;
  private relaying = false;
  private outboxCount = 0;
  /** Counts finished outbox appends, so the relay can tell that none slipped in while it looked. */
  private outboxAppends = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private scheduled = false;

  constructor(private readonly options: DurablePublisherOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.relay(), this.options.relayEveryMs ?? 250);
    this.timer.unref();
    void this.relay();
  }

  publish(records: readonly OutboundRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(gatewayError('GW_EVENTS_UNAVAILABLE', 'the event publisher is closed'));
    const settled = records.map(
      (record) =>
        new Promise<void>((resolve, reject) => {
          this.pending.push({ record, resolve, reject });
        }),
    );
    this.schedule();
    return settled.length === 1 ? (settled[0] as Promise<void>) : Promise.all(settled).then(() => undefined);
  }

  /** False while the outbox is at or over its limit: the gateway then refuses new messages. */
  get accepting(): boolean {
    return this.outboxCount < (this.options.maxOutbox ?? 100_000);
  }

  get outboxSize(): number {
    return this.outboxCount;
  }

  get direct(): boolean {
    return this.mode === 'direct';
  }

  /** Sends what is waiting (to Kafka or the outbox), then stops the relay; the outbox keeps the rest. */
  async close(): Promise<void> {
    while (this.pending.length > 0 || this.draining) {
      this.schedule();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    while (this.relaying) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private schedule(): void {
    if (this.scheduled || this.draining) return;
    this.scheduled = true;
    // One macrotask of lingering lets records from concurrent requests share a batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.options.maxBatch ?? 5_000);
        const records = batch.map((entry) => entry.record);
        try {
          await this.place(records);
          for (const entry of batch) entry.resolve();
        } catch (error: unknown) {
          const failure = gatewayError('GW_EVENTS_UNAVAILABLE', `neither Kafka nor the outbox took ${records.length} records`, {
            cause: error instanceof Error ? error.message : String(error),
          });
          for (const entry of batch) entry.reject(failure);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async place(records: readonly OutboundRecord[]): Promise<void> {
    if (this.mode === 'direct') {
      const outcome = await sendWithin(this.options.sink.send(records), this.options.spillAfterMs ?? DEFAULT_SPILL_AFTER_MS);
      if (outcome.sent) {
        this.count(records);
        return;
      }
      this.mode = 'outbox';
      if (outcome.late) this.options.sink.reset?.();
      this.options.observer?.fellBack?.(outcome.reason);
    }
    await this.options.outbox.append(records);
    this.outboxAppends += 1;
    this.outboxCount += records.length;
    this.options.observer?.outboxSize?.(this.outboxCount);
  }

  private count(records: readonly OutboundRecord[]): void {
    const observer = this.options.observer;
    if (observer?.published === undefined) return;
    const byTopic = new Map<string, number>();
    for (const record of records) byTopic.set(record.topic, (byTopic.get(record.topic) ?? 0) + 1);
    for (const [topic, count] of byTopic) observer.published(topic, count);
  }

  /** Checks the outbox; flushes it when this process leads; returns to direct sending once it is empty. */
  private async relay(): Promise<void> {
    if (this.relaying || this.closed) return;
    this.relaying = true;
    const appendsBefore = this.outboxAppends;
    try {
      let size = await this.options.outbox.size();
      this.outboxCount = size;
      this.options.observer?.outboxSize?.(size);
      if (size > 0 && this.mode === 'direct') {
        // Another process has a backlog: join it, so that no record overtakes an older one of the same message.
        this.mode = 'outbox';
      }
      if (size > 0 && (await this.options.outbox.lead(this.options.owner, 10_000))) size = await this.flush();
      const quiet = !this.draining && this.pending.length === 0 && this.outboxAppends === appendsBefore;
      if (size === 0 && this.mode === 'outbox' && quiet) this.mode = 'direct';
    } catch {
      // Redis or Kafka is away; the next tick tries again.
    } finally {
      this.relaying = false;
    }
  }

  private async flush(): Promise<number> {
    const batchSize = this.options.maxBatch ?? 5_000;
    for (;;) {
      const entries = await this.options.outbox.read(batchSize);
      if (entries.length === 0) break;
      await this.options.sink.send(entries.map((entry) => entry.record));
      this.count(entries.map((entry) => entry.record));
      await this.options.outbox.remove(entries.map((entry) => entry.id));
      this.options.observer?.flushed?.(entries.length);
      if (entries.length < batchSize) break;
      await this.options.outbox.lead(this.options.owner, 10_000);
    }
    const size = await this.options.outbox.size();
    this.outboxCount = size;
    this.options.observer?.outboxSize?.(size);
    return size;
  }
}

/**
 * Sent, or why the records must go to the outbox. A send still running at the bound is abandoned (the sink is
 * reset); should Kafka have taken the batch after all, the relay sends it again from the outbox, and consumers
 * drop the second copy by its event id (at least once, never lost).
 */
type SendOutcome = { readonly sent: true } | { readonly sent: false; readonly late: boolean; readonly reason: string };

async function sendWithin(sending: Promise<void>, boundMs: number): Promise<SendOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<SendOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ sent: false, late: true, reason: `Kafka did not answer within ${boundMs} ms` }), boundMs);
  });
  const settled = sending.then(
    (): SendOutcome => ({ sent: true }),
    (error: unknown): SendOutcome => ({ sent: false, late: false, reason: error instanceof Error ? error.message : String(error) }),
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
