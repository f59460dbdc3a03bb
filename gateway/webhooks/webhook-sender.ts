/**
 * Sends the webhook jobs of a queue (memory or Redis): leases due jobs, posts them with bounded concurrency, and either
 * finishes them (2xx, or the schedule ran out) or puts them back for their next attempt. Dispatch never waits on
 * it; a slow receiver only grows the queue.
 */
import type { StoredWebhookJob, WebhookJobQueue } from '../ports/webhook-queue.ts';
import { AddressList } from '../net/address-list.ts';
import { DEFAULT_WEBHOOK_SCHEDULE, postWebhook, type WebhookObserver, type WebhookSettings } from './webhook-delivery.ts';
import { WebhookTargets } from './webhook-targets.ts';

export interface WebhookSenderOptions extends WebhookSettings {
  readonly queue: Pick<WebhookJobQueue, 'lease' | 'finish' | 'retryAt'>;
  readonly pollMs?: number;
  readonly observer?: WebhookObserver;
  readonly now?: () => number;
}

export class WebhookSender {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private active = 0;
  private stopped = false;
  private readonly now: () => number;
  private readonly targets: WebhookTargets;

  constructor(private readonly options: WebhookSenderOptions) {
    this.now = options.now ?? Date.now;
    this.targets = new WebhookTargets(AddressList.parse(options.allow ?? [], 'webhooks.allow', { hosts: true }), options.resolver);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.options.pollMs ?? 100);
    this.timer.unref();
  }

  /** Asks for a poll now (new jobs were added). */
  nudge(): void {
    void this.poll();
  }

  async stop(waitMs = 5_000): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const until = Date.now() + waitMs;
    while ((this.active > 0 || this.running) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.targets.close();
  }

  private async poll(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      const concurrency = this.options.concurrency ?? 32;
      const timeoutMs = this.options.timeoutMs ?? 10_000;
      for (;;) {
        const room = concurrency - this.active;
        if (room <= 0 || this.stopped) break;
        // The lease outlasts one attempt, so no other process posts the job meanwhile.
        const jobs = await this.options.queue.lease(this.now(), timeoutMs * 2, room);
        if (jobs.length === 0) break;
        for (const job of jobs) {
          this.active += 1;
          void this.attempt(job).finally(() => {
            this.active -= 1;
          });
        }
      }
    } catch {
      // Redis is away: the next poll tries again.
    } finally {
      this.running = false;
    }
  }

  /** One attempt, reported to the observer as soon as its outcome is known (not once the schedule ends). */
  private async attempt(job: StoredWebhookJob): Promise<void> {
    const result = await postWebhook(job, this.options.timeoutMs ?? 10_000, this.now(), this.targets);
    const attempts = job.attempts + 1;
    const observer = this.options.observer;
    try {
      if (result.ok) {
        observer?.delivered?.(job, attempts);
        await this.options.queue.finish(job.id);
        return;
      }
      if (result.refused === true) {
        await this.options.queue.finish(job.id);
        this.options.observer?.refused?.(job, result.reason);
        return;
      }
      const wait = (this.options.schedule ?? DEFAULT_WEBHOOK_SCHEDULE)[attempts - 1];
      if (wait === undefined) {
        observer?.failed?.(job, attempts, result.reason);
        await this.options.queue.finish(job.id);
        return;
      }
      observer?.retrying?.(job, attempts, result.reason, wait);
      await this.options.queue.retryAt({ ...job, attempts }, this.now() + wait);
    } catch {
      // Redis is away: the lease runs out and the job is tried again.
    }
  }
}
