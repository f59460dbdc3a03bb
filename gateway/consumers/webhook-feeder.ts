/**
 * The webhook consumer: events and inbound messages from their topics become webhook jobs in the durable queue.
 * The offsets are committed only after the jobs are stored, and a job is stored once per event id, so a
 * consumer that dies mid-stream and resumes from its last commit sends no second callback.
 */
import type { AccountConfig } from '../accounts/account-registry.ts';
import type { GatewayEvent } from '../events/gateway-event.ts';
import type { WebhookJob } from '../webhooks/webhook-delivery.ts';
import { accountOf, webhookJobFor } from '../webhooks/webhook-job.ts';
import type { IncomingRecord } from './status-updater.ts';

export interface WebhookFeederOptions {
  readonly account: (id: string) => AccountConfig | undefined;
  readonly store: (jobs: readonly WebhookJob[]) => Promise<number>;
  /** Records that are not events this gateway understands are skipped and counted. */
  readonly skipped?: (reason: string) => void;
}

export class WebhookFeeder {
  constructor(private readonly options: WebhookFeederOptions) {}

  async handle(records: readonly IncomingRecord[]): Promise<number> {
    const jobs: WebhookJob[] = [];
    for (const record of records) {
      if (isPartEvent(record.value)) continue;
      const event = parseEvent(record.value);
      if (event === undefined) {
        this.options.skipped?.('unreadable');
        continue;
      }
      const accountId = accountOf(event);
      const job = webhookJobFor(event, accountId === undefined ? undefined : this.options.account(accountId));
      if (job !== undefined) jobs.push(job);
    }
    return jobs.length === 0 ? 0 : this.options.store(jobs);
  }
}

const PART_EVENT_PREFIX = '{"type":"message.part"';

/**
 * Part events are most of the events topic and neither webhooks nor usage need them: the gateway writes `type`
 * first, so they are recognised without parsing. Anything else is parsed and checked as usual.
 */
export function isPartEvent(value: string | undefined): boolean {
  return value?.startsWith(PART_EVENT_PREFIX) === true;
}

/** A version-1 event record, or undefined. */
export function parseEvent(value: string | undefined): GatewayEvent | undefined {
  if (value === undefined) return undefined;
  try {
    const event = JSON.parse(value) as Partial<GatewayEvent> | null;
    if (event === null || typeof event !== 'object' || event.version !== 1 || typeof event.id !== 'string') return undefined;
    if (event.type !== 'message.status' && event.type !== 'message.part' && event.type !== 'message.inbound') return undefined;
    return event as GatewayEvent;
  } catch {
    return undefined;
  }
}
