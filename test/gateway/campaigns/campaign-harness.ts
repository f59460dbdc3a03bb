/**
 * A gateway on one loopback carrier for campaign tests: account `demo` (JP), a manual clock driving both the
 * gateway's `now` and the campaign runner's waits, over the memory backend or one the test gives.
 */
import { LoopbackDriver } from '../../../drivers/loopback/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, readBuiltinRanges, type CampaignView } from '../../../gateway/index.ts';
import type { SendWindowConfig } from '../../../gateway/windows/send-windows.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import type { CampaignStore } from '../../../gateway/ports/campaign-store.ts';
import { buildRoutingTable, RouterHandle } from '../../../router/index.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { waitFor } from '../../support/wait-for.ts';

const ROUTING = { routes: { jp: { strategy: 'failover', connectors: [{ id: 'carrier' }] } }, rules: [{ name: 'default', route: 'jp' }] };

export interface CampaignHarness {
  readonly gw: Gateway;
  readonly carrier: LoopbackDriver;
  readonly clock: ManualClock;
  /** Waits until the campaign's view satisfies `check`, moving the clock 50 ms per look (held receipts retry on it). */
  readonly until: (id: string, what: string, check: (view: CampaignView) => boolean) => Promise<CampaignView>;
  stop(): Promise<void>;
}

export function rowsOf(count: number, text = (i: number) => `Hello ${i}`): { phone: string; name: string }[] {
  return Array.from({ length: count }, (_v, i) => ({ phone: `0901${String(10_000_000 + i).slice(1)}`, name: text(i) }));
}

export interface CampaignGatewayOptions {
  readonly start?: number;
  readonly backend?: MessageBackend;
  /** The memory backend's campaign store as the gateway sees it (a test puts faults or races around it). */
  readonly campaignStore?: (store: CampaignStore, clock: ManualClock) => CampaignStore;
  readonly sendWindow?: SendWindowConfig;
  readonly receipt?: boolean;
  readonly consumer?: string;
  readonly beforeStart?: (gw: Gateway) => Promise<void>;
}

export async function campaignGateway(options: CampaignGatewayOptions = {}): Promise<CampaignHarness> {
  const clock = new ManualClock();
  if (options.start !== undefined) clock.now = options.start;
  const now = (): number => clock.now;
  const carrier = new LoopbackDriver({ id: 'carrier', now });
  carrier.answerEverySend(options.receipt === false ? {} : { receipt: 'delivered' });
  let backend = options.backend;
  if (backend === undefined) {
    const memory = createMemoryBackend({ now });
    backend = { ...memory, campaigns: options.campaignStore?.(memory.campaigns, clock) ?? memory.campaigns };
  }
  const gw = new Gateway({
    backend,
    router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set(['carrier']) })),
    drivers: [carrier],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', ...(options.sendWindow === undefined ? {} : { sendWindow: options.sendWindow }) }],
    shortLinks: { baseUrl: 'https://s.example.jp' },
    campaigns: { schedule: clock.schedule, leaseMs: 60_000 },
    ...(options.consumer === undefined ? {} : { consumer: options.consumer }),
    now,
  });
  await options.beforeStart?.(gw);
  await gw.start();
  await clock.settle();
  return {
    gw,
    carrier,
    clock,
    until: (id, what, check) =>
      waitFor(async () => {
        await clock.advance(50);
        const view = await gw.campaigns.get('demo', id);
        return check(view) ? view : undefined;
      }, `campaign ${id}: ${what}`),
    stop: () => gw.stop(),
  };
}
