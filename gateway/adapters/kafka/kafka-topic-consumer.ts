/**
 * One consumer group over some topics, handing each fetched batch to a handler and committing the batch's
 * offsets only after the handler has stored its effects. A handler that throws leaves the batch uncommitted:
 * kafkajs fetches it again, and the handlers' effects are idempotent, so a replay changes nothing.
 *
 * kafkajs restarts a group after a retriable failure, but gives up for good on one it calls non-retriable: a
 * broker coming back from an outage can answer "Failed to find group coordinator", and the group then stops
 * reading until the process restarts (receipts unread, so messages never reach their final status). This class
 * joins the group again itself, on a doubling delay, until it is stopped.
 */
import type { Consumer, Kafka } from 'kafkajs';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  readonly value: string | undefined;
}

export type BatchHandler = (records: readonly ConsumedRecord[], heartbeat: () => Promise<void>) => Promise<void>;

export interface TopicConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handler: BatchHandler;
  /** Where a group without committed offsets starts (default: the beginning, so nothing is skipped). */
  readonly fromBeginning?: boolean;
  readonly onError?: (error: unknown) => void;
  /**
   * Commit at most this often, every partition's stored progress in one request (default: after every batch).
   * Offsets are recorded only after the handler, so a longer interval never commits an effect that is not
   * stored; it only makes a kill replay more.
   */
  readonly commitEveryMs?: number;
  /** How long the group waits for a silent member before handing its partitions on (default 30 s). */
  readonly sessionTimeoutMs?: number;
  /** A fetch is answered once this many bytes wait or `maxWaitMs` passed (defaults: kafkajs's, 1 byte and 5 s). */
  readonly minBytes?: number;
  readonly maxWaitMs?: number;
  /** The delay before joining again after kafkajs gave up on the group, doubling per failure (default 1 s to 30 s). */
  readonly rejoinDelayMs?: { readonly initial: number; readonly max: number };
  /** Told of each attempt to join again: after kafkajs gave up on the group, and after a join that failed. */
  readonly onRejoin?: (error: Error, delayMs: number) => void;
}

/** Where a partition's processing stands: the next offset to read, once every record before it is stored. */
type PendingCommits = Map<string, { readonly topic: string; readonly partition: number; offset: string }>;

export class KafkaTopicConsumer {
  private consumer: Consumer | undefined;
  private lastCommit = Date.now();
  private readonly pending: PendingCommits = new Map();
  private commitTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private stopped = true;
  private launching: Promise<void> | undefined;
  private rejoinTimer: NodeJS.Timeout | undefined;
  private rejoinDelay: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TopicConsumerOptions,
  ) {
    this.rejoinDelay = this.firstRejoinDelay;
  }

  private get firstRejoinDelay(): number {
    return this.options.rejoinDelayMs?.initial ?? 1_000;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.track(this.launch());
  }

  /** A join under way, which stop() waits for so that no consumer is left running behind it. */
  private async track(launch: Promise<void>): Promise<void> {
    this.launching = launch;
    try {
      await launch;
    } finally {
      if (this.launching === launch) this.launching = undefined;
    }
  }

  private async launch(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 3)),
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5_000 },
      ...(this.options.minBytes === undefined ? {} : { minBytes: this.options.minBytes }),
      ...(this.options.maxWaitMs === undefined ? {} : { maxWaitTimeInMs: this.options.maxWaitMs }),
    });
    this.consumer = consumer;
    // After a rebalance only partitions still assigned here may be committed from here: another member now
    // owns the rest, and an old offset of ours would only move its progress back.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.keepAssigned(payload.memberAssignment);
      this.rejoinDelay = this.firstRejoinDelay;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.rejoinLater(consumer, payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      // kafkajs commits the resolved offsets after every batch; with an interval, this class commits instead.
      autoCommit: this.options.commitEveryMs === undefined,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
        const records = batch.messages.map((message) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key?.toString('utf8'),
          value: message.value?.toString('utf8'),
        }));
        const handled = this.options.handler(records, () => payload.heartbeat());
        this.inFlight = handled.then(() => undefined, () => undefined);
        try {
          await handled;
        } catch (error: unknown) {
          this.options.onError?.(error);
          throw error;
        }
        payload.resolveOffset(batch.lastOffset());
        if (this.options.commitEveryMs === undefined) return;
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        this.pending.set(`${batch.topic}:${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: next });
        this.scheduleCommit(this.options.commitEveryMs);
      },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.rejoinTimer);
    this.rejoinTimer = undefined;
    await this.launching?.catch(() => undefined);
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer === undefined) return;
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    if (this.options.commitEveryMs !== undefined) {
      // A graceful stop commits what is stored, so the next owner does not replay it: no new batch starts once
      // the partitions are paused, and the one in the handler finishes first. A group that never ran (its start
      // failed) has nothing to commit, and pausing it throws: the disconnect below must still happen.
      try {
        consumer.pause(this.options.topics.map((topic) => ({ topic })));
        await this.inFlight;
        await this.commitPending(consumer);
      } catch (error: unknown) {
        this.options.onError?.(error);
      }
    }
    await consumer.disconnect();
  }

  /**
   * The group as kafkajs left it is done (it disconnected before it said so), so a new consumer joins in its place;
   * offsets still owed are kept, and the join's assignment decides which of them may still be committed. A join
   * that fails (the broker still away) is tried again, each time after twice the delay.
   */
  private rejoinLater(failed: Consumer, error: Error): void {
    if (this.stopped || this.consumer !== failed || this.rejoinTimer !== undefined) return;
    const delay = this.rejoinDelay;
    this.rejoinDelay = Math.min(delay * 2, this.options.rejoinDelayMs?.max ?? 30_000);
    this.options.onRejoin?.(error, delay);
    this.rejoinTimer = setTimeout(() => {
      this.rejoinTimer = undefined;
      if (this.stopped || this.consumer !== failed) return;
      const rejoin = failed
        .disconnect()
        .catch(() => undefined)
        .then(() => this.launch());
      this.track(rejoin).catch((failure: unknown) => {
        const consumer = this.consumer;
        if (consumer !== undefined) this.rejoinLater(consumer, failure instanceof Error ? failure : new Error(String(failure)));
      });
    }, delay);
    this.rejoinTimer.unref();
  }

  /**
   * Offsets are committed at most every `commitEveryMs`, all partitions together: a commit per batch was a
   * request to the broker, and a write to its offsets log, for every partition of every fetch. A timer covers
   * the tail, so a quiet group's offsets catch up too.
   */
  private scheduleCommit(every: number): void {
    if (this.commitTimer !== undefined) return;
    const wait = Math.max(0, this.lastCommit + every - Date.now());
    this.commitTimer = setTimeout(() => {
      this.commitTimer = undefined;
      const consumer = this.consumer;
      if (consumer === undefined) return;
      this.commitPending(consumer).catch((error: unknown) => this.options.onError?.(error));
    }, wait);
    this.commitTimer.unref();
  }

  private async commitPending(consumer: Consumer): Promise<void> {
    if (this.pending.size === 0) return;
    const taken = new Map(this.pending);
    this.pending.clear();
    this.lastCommit = Date.now();
    try {
      await consumer.commitOffsets([...taken.values()].map(({ topic, partition, offset }) => ({ topic, partition, offset })));
    } catch (error: unknown) {
      // Still owed: the next commit carries them, unless a later batch of the same partition has moved past.
      for (const [key, entry] of taken) if (!this.pending.has(key)) this.pending.set(key, entry);
      throw error;
    }
  }

  private keepAssigned(assignment: Readonly<Record<string, readonly number[]>>): void {
    for (const [key, { topic, partition }] of this.pending) {
      if (assignment[topic]?.includes(partition) !== true) this.pending.delete(key);
    }
  }
}
