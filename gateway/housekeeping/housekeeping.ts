/**
 * The gateway's own timers: scheduled messages that came due move to their route queues, the queues are sampled
 * (depth metrics and the backlog bound), the links' up state is refreshed, and parts whose receipt wait ended are
 * resolved, and verifications whose code expired unchecked end `expired`. Each tick is best effort: a store that does not answer is tried again on the next.
 */
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { RouteQueue } from '../ports/route-queue.ts';
import type { ReceiptTimeout } from '../receipts/receipt-timeout.ts';
import type { LinkState } from '../links/link-state.ts';
import type { ConnectorBacklog } from './connector-backlog.ts';

export interface HousekeepingOptions {
  readonly queue: RouteQueue;
  readonly links: LinkState;
  readonly backlog: ConnectorBacklog;
  readonly receiptTimeout: ReceiptTimeout;
  readonly metrics: GatewayMetrics;
  /** Ends verifications whose code expired unchecked (their `expired` events); answers how many. */
  readonly expireVerifications?: () => Promise<number>;
  readonly now: () => number;
}

/** Due messages moved per store call; a full batch means more may be due. */
const MOVE_BATCH = 1_000;

export class Housekeeping {
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: HousekeepingOptions) {}

  start(): void {
    if (this.timers.length > 0) return;
    this.timers.push(setInterval(() => void this.moveDue(), 200));
    this.timers.push(setInterval(() => this.options.links.refresh(), 1_000));
    this.timers.push(setInterval(() => void this.sampleQueues(), 1_000));
    this.timers.push(setInterval(() => void this.resolveTimedOut(), 1_000));
    this.timers.push(setInterval(() => void this.expireVerifications(), 1_000));
    for (const timer of this.timers) timer.unref();
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Resolves the parts whose receipt wait ended (query_sm, else unknown); resolves to the messages seen. */
  async resolveTimedOut(): Promise<number> {
    try {
      return await this.options.receiptTimeout.sweep();
    } catch {
      // The store is unreachable; the next tick tries again (the claims come due again after their lease).
      return 0;
    }
  }

  /** Ends the verifications whose code expired unchecked; resolves to how many. */
  async expireVerifications(): Promise<number> {
    try {
      return (await this.options.expireVerifications?.()) ?? 0;
    } catch {
      // The store is unreachable; the next tick tries again.
      return 0;
    }
  }

  private async moveDue(): Promise<void> {
    try {
      while ((await this.options.queue.moveDue(this.options.now(), MOVE_BATCH)) === MOVE_BATCH) {
        // A large batch came due at once: keep moving.
      }
    } catch {
      // The store is unreachable; the next tick tries again.
    }
  }

  private async sampleQueues(): Promise<void> {
    const { queue, links, backlog, metrics } = this.options;
    try {
      for (const id of links.connectorIds) {
        let total = 0;
        for (const depth of await queue.depth(id)) {
          metrics.queueDepth.set({ connector: id, lane: depth.lane }, depth.waiting + depth.pending);
          total += depth.waiting + depth.pending;
        }
        backlog.sampled(id, total);
      }
    } catch {
      // Sampling is best effort.
    }
  }
}
