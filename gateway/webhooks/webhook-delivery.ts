/**
 * Status and inbound callbacks: JSON, signed, one POST per attempt. A 2xx answer ends a delivery; anything else
 * is tried again on the schedule (the default reaches about 8 hours). The queues that hold jobs between attempts
 * (memory, Redis) and the sender that works from them live beside this module.
 */
import { request } from 'undici';
import { signWebhook, SIGNATURE_HEADER } from './webhook-signature.ts';
import { WebhookTargetRefused, type HostResolver, type WebhookTargets } from './webhook-targets.ts';

export interface WebhookJob {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  readonly body: string;
}

/** Told of every attempt as it ends: delivered, failed and tried again later, or failed for the last time. */
export interface WebhookObserver {
  delivered?(job: WebhookJob, attempts: number): void;
  /** The attempt failed; the next one comes after `delayMs`. */
  retrying?(job: WebhookJob, attempts: number, reason: string, delayMs: number): void;
  /** The last attempt of the schedule failed: the job is given up. */
  failed?(job: WebhookJob, attempts: number, reason: string): void;
  /** The target is not allowed (scheme, or a non-public address not in `webhooks.allow`): never posted, not retried. */
  refused?(job: WebhookJob, reason: string): void;
}

/** How webhooks are sent: the delays between attempts, parallel posts, and how long one attempt may take. */
export interface WebhookSettings {
  readonly schedule?: readonly number[];
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /** CIDR ranges, addresses and host names webhooks may reach beyond public unicast addresses (`webhooks.allow`). */
  readonly allow?: readonly string[];
  /** Host name resolution for webhook targets (tests inject one; default: the system resolver). */
  readonly resolver?: HostResolver;
}

export const DEFAULT_WEBHOOK_SCHEDULE = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000];

export type WebhookAttempt = { ok: true } | { ok: false; reason: string; refused?: true };

/**
 * One delivery attempt: a signed POST to a target `targets` allows; a 2xx answer is success, anything else (or no
 * answer) a reason to retry. A refused target is `refused`: it will not become allowed by trying again.
 */
export async function postWebhook(job: WebhookJob, timeoutMs: number, now: number, targets: WebhookTargets): Promise<WebhookAttempt> {
  const refusal = targets.refusal(job.url);
  if (refusal !== undefined) return { ok: false, reason: `callback URL ${refusal}`, refused: true };
  try {
    const signature = signWebhook(job.secret, job.body, Math.floor(now / 1000));
    const response = await request(job.url, {
      dispatcher: targets.dispatcher,
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
    if (error instanceof WebhookTargetRefused) return { ok: false, reason: `callback URL ${error.message}`, refused: true };
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
