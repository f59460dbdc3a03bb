import type { WebhookJob } from '../webhooks/webhook-delivery.ts';

export interface StoredWebhookJob extends WebhookJob {
  readonly attempts: number;
}

/**
 * Webhook jobs between attempts, stored once per event id: a job added again (a replayed event) is dropped,
 * also after it was delivered. Adapters: memory (the embedded default) and Redis (survives restarts, shared by
 * every process; attempts are leased so that no two processes post one job at once).
 */
export interface WebhookJobQueue {
  /** Stores jobs not seen before; resolves to how many were new. */
  add(jobs: readonly WebhookJob[], now: number): Promise<number>;
  /** Due jobs, each hidden from other leases until `now + leaseMs`. */
  lease(now: number, leaseMs: number, limit: number): Promise<StoredWebhookJob[]>;
  /** Delivered, or given up: either way it is never sent again. */
  finish(id: string): Promise<void>;
  retryAt(job: StoredWebhookJob, at: number): Promise<void>;
  waiting(): Promise<number>;
}
