/**
 * deliver_sm traffic from the SMSC to one bind: a window of outstanding PDUs keyed by sequence_number, a backlog
 * beyond it, and a timeout sweep (one timer per bind, not one per PDU). A PDU not answered in time, or answered
 * with an error, is retried up to `maxAttempts` sends, then dropped and counted.
 */
import type { MessagePduFields } from '../../drivers/smpp-protocol/index.ts';

export type DeliverOutcome = { readonly status: number } | { readonly failed: 'timeout' | 'closed' | 'dropped' };

export interface DeliverItem {
  readonly kind: 'receipt' | 'mo';
  readonly fields: MessagePduFields;
  attempts: number;
  /** Told once: the final status, or why it never got one. */
  readonly done?: (outcome: DeliverOutcome) => void;
}

interface Outstanding {
  readonly item: DeliverItem;
  readonly sentAt: number;
}

export interface DeliverLimits {
  readonly window: number;
  readonly respTimeoutMs: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
}

export interface DeliverCounters {
  /** Items dropped because a backlog was full. */
  pendingOverflow: number;
  deliverSmTimeouts: number;
  deliverSmRetries: number;
  deliverSmDropped: number;
  deliverSmErrors: number;
}

export class DeliverQueue {
  private readonly outstanding = new Map<number, Outstanding>();
  private backlog: DeliverItem[] = [];
  private head = 0;
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Items waiting out the retry delay, with their timers. */
  private readonly retrying = new Map<NodeJS.Timeout, DeliverItem>();
  private closed = false;

  constructor(
    /** Sends one deliver_sm and returns its sequence_number, or undefined when the socket cannot take it. */
    private readonly send: (item: DeliverItem) => number | undefined,
    private readonly limits: () => DeliverLimits,
    private readonly counters: () => DeliverCounters,
    /** Most items waiting beyond the window; the oldest is dropped (and counted) to make room. */
    private readonly maxBacklog = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  get outstandingCount(): number {
    return this.outstanding.size;
  }

  get backlogCount(): number {
    return this.backlog.length - this.head;
  }

  enqueue(item: DeliverItem): void {
    if (this.closed) {
      item.done?.({ failed: 'closed' });
      return;
    }
    if (this.backlogCount >= this.maxBacklog) {
      const oldest = this.backlog[this.head] as DeliverItem;
      this.head++;
      this.counters().pendingOverflow++;
      oldest.done?.({ failed: 'dropped' });
    }
    this.backlog.push(item);
    this.pump();
  }

  /** The ESME's deliver_sm_resp (or generic_nack) for `sequence`; false when nothing waited for it. */
  answered(sequence: number, status: number): boolean {
    const entry = this.outstanding.get(sequence);
    if (entry === undefined) return false;
    this.outstanding.delete(sequence);
    if (status === 0) entry.item.done?.({ status });
    else {
      this.counters().deliverSmErrors++;
      this.retryOrDrop(entry.item, { status });
    }
    this.pump();
    return true;
  }

  /** Stops; returns every item not yet answered, so they can go to another bind. */
  close(): DeliverItem[] {
    this.closed = true;
    if (this.sweepTimer !== undefined) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    const left = [...[...this.outstanding.values()].map((o) => o.item), ...this.backlog.slice(this.head), ...this.retrying.values()];
    for (const timer of this.retrying.keys()) clearTimeout(timer);
    this.retrying.clear();
    this.outstanding.clear();
    this.backlog = [];
    this.head = 0;
    return left;
  }

  private pump(): void {
    const { window } = this.limits();
    while (!this.closed && this.outstanding.size < window && this.head < this.backlog.length) {
      const item = this.backlog[this.head] as DeliverItem;
      this.head++;
      item.attempts++;
      const sequence = this.send(item);
      if (sequence === undefined) {
        item.attempts--;
        this.head--;
        return;
      }
      this.outstanding.set(sequence, { item, sentAt: this.now() });
    }
    if (this.head > 1024 && this.head * 2 > this.backlog.length) {
      this.backlog = this.backlog.slice(this.head);
      this.head = 0;
    }
    this.armSweep();
  }

  private retryOrDrop(item: DeliverItem, last: DeliverOutcome): void {
    const { maxAttempts, retryDelayMs } = this.limits();
    if (item.attempts < maxAttempts) {
      this.counters().deliverSmRetries++;
      const timer = setTimeout(() => {
        this.retrying.delete(timer);
        this.backlog.push(item);
        this.pump();
      }, retryDelayMs);
      this.retrying.set(timer, item);
      return;
    }
    this.counters().deliverSmDropped++;
    item.done?.(last);
  }

  private armSweep(): void {
    if (this.sweepTimer !== undefined || this.outstanding.size === 0 || this.closed) return;
    const { respTimeoutMs } = this.limits();
    this.sweepTimer = setTimeout(this.sweep, Math.max(5, Math.min(respTimeoutMs, 1000) / 4));
    this.sweepTimer.unref();
  }

  private readonly sweep = (): void => {
    this.sweepTimer = undefined;
    const { respTimeoutMs } = this.limits();
    const now = this.now();
    let expired = false;
    // Insertion order is send order, so the first young entry ends the scan.
    for (const [sequence, entry] of this.outstanding) {
      if (now - entry.sentAt < respTimeoutMs) break;
      this.outstanding.delete(sequence);
      this.counters().deliverSmTimeouts++;
      this.retryOrDrop(entry.item, { failed: 'timeout' });
      expired = true;
    }
    if (expired) this.pump();
    else this.armSweep();
  };
}
