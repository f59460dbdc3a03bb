/**
 * What every webhook sender (this process's, or a Kafka pipeline's) reports: each attempt counted by outcome in
 * `smsgw_webhooks_total` as it ends (`delivered`, `retry`, `gave_up`, or `refused`: a target not allowed, never posted), and each failed attempt as one log line. The
 * line names the receiver by its origin only (a URL's path or query may carry a token) and never the body.
 */
import { maskDigits } from '../../common/index.ts';
import type { GatewayLog } from '../log/gateway-log.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { WebhookJob, WebhookObserver } from './webhook-delivery.ts';

export function webhookObserver(metrics: GatewayMetrics | undefined, log: GatewayLog): WebhookObserver {
  const fields = (job: WebhookJob, attempt: number, reason: string) => ({ webhookId: job.id, target: originOf(job.url), attempt, reason: maskDigits(reason) });
  return {
    delivered: () => metrics?.webhooks.inc({ outcome: 'delivered' }),
    retrying: (job, attempt, reason, delayMs) => {
      metrics?.webhooks.inc({ outcome: 'retry' });
      log.warn({ ...fields(job, attempt, reason), retryInMs: delayMs }, 'webhook attempt failed; trying again later');
    },
    failed: (job, attempt, reason) => {
      metrics?.webhooks.inc({ outcome: 'gave_up' });
      log.warn(fields(job, attempt, reason), 'webhook attempt failed; schedule ran out, given up');
    },
    refused: (job, reason) => {
      metrics?.webhooks.inc({ outcome: 'refused' });
      log.warn(fields(job, 0, reason), 'webhook target refused (scheme or non-public address not allowed); not posted');
    },
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
}
