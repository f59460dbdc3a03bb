/**
 * Status and inbound callbacks: JSON, signed, retried with backoff for hours, sent from their own queue so a
 * slow or dead receiver never holds up dispatch. A 2xx answer ends a delivery; anything else is tried again
 * until the schedule runs out.
 */
import { request } from 'undici';
import { signWebhook, SIGNATURE_HEADER } from './webhook-signature.ts';

export interface WebhookJob {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  readonly body: string;
}

export interface WebhookObserver {
  delivered?(job: WebhookJob, attempts: number): void;
  failed?(job: WebhookJob, attempts: number, reason: string): void;
}

export interface WebhookDispatcherOptions {
  /** Delays between attempts; the default reaches about 8 hours. */
  readonly schedule?: readonly number[];
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /** At most this many jobs waiting; beyond it new jobs are refused and counted (default 100,000). */
  readonly maxQueued?: number;
  readonly observer?: WebhookObserver;
  readonly now?: () => number;
}

export const DEFAULT_WEBHOOK_SCHEDULE = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000];

interface Pending {
  readonly job: WebhookJob;
  attempts: number;
  dueAt: number;
}

export class WebhookDispatcher {
  private readonly queue: Pending[] = [];
  private readonly delayed: Pending[] = [];
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly now: () => number;
  dropped = 0;

  constructor(private readonly options: WebhookDispatcherOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  enqueue(job: WebhookJob): boolean {
    if (this.closed || this.queue.length + this.delayed.length >= (this.options.maxQueued ?? 100_000)) {
      this.dropped += 1;
      this.options.observer?.failed?.(job, 0, 'webhook queue full');
      return false;
    }
    this.queue.push({ job, attempts: 0, dueAt: this.now() });
    this.pump();
    return true;
  }

  get waiting(): number {
    return this.queue.length + this.delayed.length + this.active;
  }

  /** Stops taking jobs and waits (bounded) for the ones being sent. */
  async close(waitMs = 5_000): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const until = this.now() + waitMs;
    while (this.active > 0 && this.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 32;
    while (!this.closed && this.active < concurrency && this.queue.length > 0) {
      const pending = this.queue.shift() as Pending;
      this.active += 1;
      void this.attempt(pending).finally(() => {
        this.active -= 1;
        this.pump();
      });
    }
  }

  private async attempt(pending: Pending): Promise<void> {
    pending.attempts += 1;
    const { job } = pending;
    const result = await postWebhook(job, this.options.timeoutMs ?? 10_000, this.now());
    if (result.ok) {
      this.options.observer?.delivered?.(job, pending.attempts);
      return;
    }
    const reason = result.reason;
    const schedule = this.options.schedule ?? DEFAULT_WEBHOOK_SCHEDULE;
    const wait = schedule[pending.attempts - 1];
    if (wait === undefined || this.closed) {
      this.options.observer?.failed?.(job, pending.attempts, reason);
      return;
    }
    pending.dueAt = this.now() + wait;
    this.delayed.push(pending);
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined || this.delayed.length === 0 || this.closed) return;
    const next = Math.min(...this.delayed.map((p) => p.dueAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = this.now();
      for (let i = this.delayed.length - 1; i >= 0; i -= 1) {
        const pending = this.delayed[i] as Pending;
        if (pending.dueAt <= now) {
          this.delayed.splice(i, 1);
          this.queue.push(pending);
        }
      }
      this.pump();
      this.arm();
    }, Math.max(0, next - this.now()));
    this.timer.unref();
  }
}

/** One delivery attempt: a signed POST; a 2xx answer is success, anything else (or no answer) a reason to retry. */
export async function postWebhook(job: WebhookJob, timeoutMs: number, now: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const signature = signWebhook(job.secret, job.body, Math.floor(now / 1000));
    const response = await request(job.url, {
      method: 'POST',
      body: job.body,
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'smsgw-event-id': job.id },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true };
    return { ok: false, reason: `HTTP ${response.statusCode}` };
  } catch (error: unknown) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
