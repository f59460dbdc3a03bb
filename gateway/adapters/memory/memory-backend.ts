import type { MessageBackend } from '../../ports/backend.ts';
import { MemoryAutoAckStore } from './memory-auto-ack-store.ts';
import { MemoryCampaignStore } from './memory-campaign-store.ts';
import { MemoryMessageStore, type MemoryMessageStoreOptions } from './memory-message-store.ts';
import { MemoryLinkStore } from './memory-link-store.ts';
import { MemoryRouteQueue } from './memory-route-queue.ts';
import { InboundLog } from '../../inbound/inbound-log.ts';
import { MemoryRateCounter } from './memory-rate-counter.ts';
import { MemorySuppressionStore } from './memory-suppression-store.ts';
import { MemoryVerificationStore } from './memory-verification-store.ts';
import { MemoryWebhookQueue } from './memory-webhook-queue.ts';
import { MemoryUsageStore } from './memory-usage-store.ts';

export interface MemoryBackendOptions extends MemoryMessageStoreOptions {
  /** Usage `once` markers held at most (see MemoryUsageStore). */
  readonly maxUsageMarkers?: number;
}

/**
 * The embedded default: store and queues in this process (nothing survives a restart). Everything in it that grows
 * with traffic is bounded (the `memory` settings of README "Memory mode limits"), so a long run holds steady.
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): MessageBackend {
  const queue = new MemoryRouteQueue(options.now === undefined ? {} : { now: options.now });
  const store = new MemoryMessageStore(queue, options);
  return {
    store,
    queue,
    inbound: new InboundLog(),
    webhooks: new MemoryWebhookQueue(),
    suppressions: new MemorySuppressionStore(),
    verifications: new MemoryVerificationStore(options.now),
    rates: new MemoryRateCounter(),
    autoAcks: new MemoryAutoAckStore(options.now),
    links: new MemoryLinkStore(options.now),
    campaigns: new MemoryCampaignStore(options.now),
    usage: new MemoryUsageStore({
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.maxUsageMarkers === undefined ? {} : { maxMarkers: options.maxUsageMarkers }),
    }),
    ping: () => Promise.resolve(true),
    close: async () => {
      await queue.close();
      await store.close();
    },
  };
}
