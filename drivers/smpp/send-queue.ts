/**
 * The parts of a connector waiting to leave: one queue in send order, and the parts paused after a throttle answer
 * until their pause ends (they then go first, in the order they were throttled). One timer on the injected clock
 * wakes the connector's pump at the earliest moment something may leave: a rate token, or a pause ending.
 */
import type { PartOutcome, SendRequest, SendResult } from '../transport/index.ts';
import type { Cancel, SmppClock } from './clock.ts';
import { Fifo } from './fifo.ts';
import type { PreparedPart } from './submit-pdus.ts';

/** One message on its way: its parts go out one after the other, so a retried part never falls behind a later one. */
export interface SendJob {
  readonly request: SendRequest;
  readonly parts: readonly PreparedPart[];
  cursor: number;
  readonly outcomes: PartOutcome[];
  readonly resolve: (result: SendResult) => void;
  queuedAt: number;
  readyAt: number;
  sentAt: number;
  throttleRetries: number;
  resent: boolean;
}

export class SendQueue {
  private readonly queue = new Fifo<SendJob>();
  private readonly paused: SendJob[] = [];
  private cancelWake: Cancel | undefined;
  private wakeAt = 0;
  private readonly woken = (): void => {
    this.cancelWake = undefined;
    this.wake();
  };

  constructor(
    private readonly clock: SmppClock,
    private readonly wake: () => void,
  ) {}

  /** Parts waiting, paused ones included. */
  get length(): number {
    return this.queue.length + this.paused.length;
  }

  /** Parts ready to leave now. */
  get ready(): number {
    return this.queue.length;
  }

  get hasPaused(): boolean {
    return this.paused.length > 0;
  }

  push(job: SendJob): void {
    this.queue.push(job);
  }

  /** Ahead of everything waiting: the next part of a message under way, or a part to send again. */
  unshift(job: SendJob): void {
    this.queue.unshift(job);
  }

  shift(): SendJob | undefined {
    return this.queue.shift();
  }

  /** Holds `job` back for `ms` (a throttle answer). */
  pause(job: SendJob, ms: number, now: number): void {
    job.readyAt = now + ms;
    this.paused.push(job);
    this.wakeIn(ms);
  }

  /** Moves the parts whose pause has ended to the front, and sets the wake-up for the next one. */
  releasePaused(now: number): void {
    let due = 0;
    while (due < this.paused.length && (this.paused[due] as SendJob).readyAt <= now) due += 1;
    if (due > 0) {
      for (const job of this.paused.splice(0, due).reverse()) this.queue.unshift(job);
    }
    const next = this.paused[0];
    if (next !== undefined) this.wakeIn(next.readyAt - now);
  }

  /** One wake-up, always for the earliest moment asked. */
  wakeIn(ms: number): void {
    const at = this.clock.now() + Math.max(1, ms);
    if (this.cancelWake !== undefined) {
      if (this.wakeAt <= at) return;
      this.cancelWake();
    }
    this.wakeAt = at;
    this.cancelWake = this.clock.schedule(Math.max(1, ms), this.woken);
  }

  /** Removes and returns the ready parts `predicate` accepts. */
  removeReady(predicate: (job: SendJob) => boolean): SendJob[] {
    return this.queue.removeWhere(predicate);
  }

  /** Empties the queue (paused parts first) and stops the wake-up. */
  clear(): SendJob[] {
    this.cancelWake?.();
    this.cancelWake = undefined;
    return [...this.paused.splice(0), ...this.queue.removeWhere(() => true)];
  }
}
