import type { BindLeaseStore } from './bind-lease-store.ts';
import type { AutoAckStore } from './auto-ack-store.ts';
import type { CampaignStore } from './campaign-store.ts';
import type { InboundStore } from './inbound-store.ts';
import type { LinkStore } from './link-store.ts';
import type { MessageStore } from './message-store.ts';
import type { RouteQueue } from './route-queue.ts';
import type { RateCounter } from './rate-counter.ts';
import type { SuppressionStore } from './suppression-store.ts';
import type { UsageStore } from './usage-store.ts';
import type { VerificationStore } from './verification-store.ts';
import type { WebhookJobQueue } from './webhook-queue.ts';

/** A store and its queues from one adapter family: the store's insert enqueues atomically into these queues. */
export interface MessageBackend {
  readonly store: MessageStore;
  readonly queue: RouteQueue;
  readonly inbound: InboundStore;
  readonly webhooks: WebhookJobQueue;
  readonly suppressions: SuppressionStore;
  /** One-time code verifications and their attempt counts. */
  readonly verifications: VerificationStore;
  /** Sliding-window counters of the abuse limits (verifications per number, account, number range). */
  readonly rates: RateCounter;
  /** Numbers that had an account's automatic acknowledgement (keyword handling). */
  readonly autoAcks: AutoAckStore;
  /** Short links (`/l/{code}`) and their click counts. */
  readonly links: LinkStore;
  /** Campaigns, their recipients and the runner's lease. */
  readonly campaigns: CampaignStore;
  /** Usage and quota counters (every mode has them: usage is counted in every mode). */
  readonly usage: UsageStore;
  /**
   * Bind ownership across processes (a shared store: Redis). Absent in memory mode, where one process owns every
   * bind of every connector.
   */
  readonly binds?: BindLeaseStore;
  /** True when the backing service answers (always for memory). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
