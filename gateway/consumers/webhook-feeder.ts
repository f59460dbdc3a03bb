/**
 * The webhook feeder: events and inbound messages become webhook jobs in the durable queue. A job is stored once
 * per event id, so a Kafka consumer that dies mid-stream and resumes from its last commit sends no second
 * callback; its offsets are committed only after the jobs are stored.
 */
import type { AccountConfig } from '../accounts/account-registry.ts';
import type { GatewayEvent } from '../events/gateway-event.ts';
import type { EventHandler } from '../ports/event-transport.ts';
import type { WebhookJobQueue } from '../ports/webhook-queue.ts';
import { accountOf, mayCallBack, webhookJobFor } from '../webhooks/webhook-job.ts';
import type { WebhookJob } from '../webhooks/webhook-delivery.ts';

export interface WebhookFeederObserver {
  /** `jobs` were offered to the queue and `added` of them were new (the rest: replays, or a full memory queue). */
  stored?(jobs: number, added: number): void;
  /** The queue could not take the jobs of these events (the error is thrown on: Kafka fetches the batch again). */
  failed?(events: readonly GatewayEvent[], error: unknown): void;
}

export interface WebhookFeederOptions {
  readonly account: (id: string) => AccountConfig | undefined;
  readonly queue: Pick<WebhookJobQueue, 'add'>;
  /** Told when new jobs are waiting (the sender then polls at once). */
  readonly added?: () => void;
  readonly observer?: WebhookFeederObserver;
  readonly now?: () => number;
}

export class WebhookFeeder implements EventHandler {
  readonly name = 'webhooks';
  readonly types = ['message.status', 'message.inbound', 'suppression.changed', 'verification.status', 'link.clicked', 'campaign.status'] as const satisfies readonly GatewayEvent['type'][];
  readonly wants = mayCallBack;

  constructor(private readonly options: WebhookFeederOptions) {}

  async handle(events: readonly GatewayEvent[]): Promise<void> {
    const jobs: WebhookJob[] = [];
    for (const event of events) {
      const accountId = accountOf(event);
      const job = webhookJobFor(event, accountId === undefined ? undefined : this.options.account(accountId));
      if (job !== undefined) jobs.push(job);
    }
    if (jobs.length === 0) return;
    let added: number;
    try {
      added = await this.options.queue.add(jobs, (this.options.now ?? Date.now)());
    } catch (error: unknown) {
      this.options.observer?.failed?.(events, error);
      throw error;
    }
    this.options.observer?.stored?.(jobs.length, added);
    if (added > 0) this.options.added?.();
  }
}
