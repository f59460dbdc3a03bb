/**
 * Webhook jobs in this process, for the embedded default (a restart loses them). Bounded: beyond `maxJobs`
 * waiting, new jobs are refused (counted by the caller) rather than growing without end; delivered ids are
 * remembered (bounded too) so that an event published twice is posted once.
 */
import { RecentMap } from '../../../common/index.ts';
import type { StoredWebhookJob, WebhookJobQueue } from '../../ports/webhook-queue.ts';
import type { WebhookJob } from '../../webhooks/webhook-delivery.ts';

interface Waiting {
  job: StoredWebhookJob;
  dueAt: number;
}

export class MemoryWebhookQueue implements WebhookJobQueue {
  private readonly jobs = new Map<string, Waiting>();
  private readonly done: RecentMap<string, true>;

  constructor(private readonly maxJobs = 100_000) {
    this.done = new RecentMap(maxJobs);
  }

  add(jobs: readonly WebhookJob[], now: number): Promise<number> {
    let added = 0;
    for (const job of jobs) {
      if (this.jobs.has(job.id) || this.done.has(job.id) || this.jobs.size >= this.maxJobs) continue;
      this.jobs.set(job.id, { job: { ...job, attempts: 0 }, dueAt: now });
      added += 1;
    }
    return Promise.resolve(added);
  }

  lease(now: number, leaseMs: number, limit: number): Promise<StoredWebhookJob[]> {
    const leased: StoredWebhookJob[] = [];
    for (const waiting of this.jobs.values()) {
      if (leased.length >= limit) break;
      if (waiting.dueAt > now) continue;
      waiting.dueAt = now + leaseMs;
      leased.push(waiting.job);
    }
    return Promise.resolve(leased);
  }

  finish(id: string): Promise<void> {
    this.jobs.delete(id);
    this.done.set(id, true);
    return Promise.resolve();
  }

  retryAt(job: StoredWebhookJob, at: number): Promise<void> {
    if (this.jobs.has(job.id)) this.jobs.set(job.id, { job, dueAt: at });
    return Promise.resolve();
  }

  waiting(): Promise<number> {
    return Promise.resolve(this.jobs.size);
  }
}
