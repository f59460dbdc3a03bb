/**
 * How the runner hands recipients on, on the memory backend with a manual clock: a submit left in flight and a
 * pause longer than the Idempotency-Key's 24 hours never make a second message; a cancel from another process
 * that lands between a claim and its submit leaves the claimed recipient with its real status; and every state
 * change is a `campaign.status` event and counted in the metrics.
 */
import { afterEach, expect, test } from 'vitest';
import type { CampaignStatusEvent, GatewayEvent } from '../../../gateway/index.ts';
import type { CampaignStore, RecipientChange } from '../../../gateway/ports/campaign-store.ts';
import { waitFor } from '../../support/wait-for.ts';
import { campaignGateway, rowsOf, type CampaignHarness } from './campaign-harness.ts';

let harness: CampaignHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const HOUR = 3_600_000;
const e164 = (phone: string): string => `+81${phone.slice(1)}`;

/** Sends per number at the carrier. */
function sendsPerNumber(h: CampaignHarness): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of h.carrier.sent()) counts.set(request.to, (counts.get(request.to) ?? 0) + 1);
  return counts;
}

test('a submit stored but not confirmed, then a pause of 25 hours: the resume finds its message and sends it no second time', async () => {
  let failConfirmOf: number | undefined = 2;
  // The status role lags (another process, a Kafka consumer behind): recipient 2's events wait, so it stays queued.
  let holding = true;
  const held: (() => Promise<boolean>)[] = [];
  const h = (harness = await campaignGateway({
    // The store does not answer the confirm of recipient 2 once: its message is stored, the campaign's record is not.
    campaignStore: (store) => {
      const confirm = store.confirm.bind(store);
      const update = store.update.bind(store);
      return Object.assign(store, {
        confirm: (id: string, index: number, messageId: string) => {
          if (index !== failConfirmOf) return confirm(id, index, messageId);
          failConfirmOf = undefined;
          return Promise.reject(new Error('the store did not answer'));
        },
        update: (id: string, index: number, change: RecipientChange) => {
          if (!holding || index !== 2) return update(id, index, change);
          held.push(() => update(id, index, change));
          return Promise.resolve(false);
        },
      } satisfies Partial<CampaignStore>);
    },
  }));
  const rows = rowsOf(5);
  const { campaign } = await h.gw.campaigns.create('demo', { kind: 'rows', rows }, { template: 'Hi {{name}}' }, {});
  await h.clock.advance(10);
  await waitFor(() => failConfirmOf === undefined && h.carrier.sent().length === 3, 'recipient 2 stored and sent, its confirm failed');
  const paused = await h.gw.campaigns.control('demo', campaign.id, 'pause');
  expect(paused.state).toBe('paused');
  const [inFlight] = (await h.gw.campaigns.recipients('demo', campaign.id, { cursor: 2, limit: 1 })).items;
  expect(inFlight).toMatchObject({ index: 2, status: 'queued', messageId: (expect.any(String) as string) });

  // Longer than the Idempotency-Key lives (24 h): a submit made again now would be a new message.
  await h.clock.advance(25 * HOUR);
  await h.gw.campaigns.control('demo', campaign.id, 'resume');
  await h.until(campaign.id, 'completed', (view) => view.state === 'completed');
  holding = false;
  for (const step of held.splice(0)) await step();
  const done = await h.until(campaign.id, 'every recipient delivered', (view) => view.counts.delivered === 5);
  expect(done.counts).toMatchObject({ pending: 0, queued: 0, failed: 0, delivered: 5 });
  expect([...sendsPerNumber(h).entries()].toSorted()).toEqual(rows.map((row) => [e164(row.phone), 1]).toSorted());
  const [after] = (await h.gw.campaigns.recipients('demo', campaign.id, { cursor: 2, limit: 1 })).items;
  expect(after).toMatchObject({ status: 'delivered', messageId: inFlight?.messageId });
});

test('claimed but never submitted, then a pause of 25 hours: the resume submits it once, with the id it was claimed with', async () => {
  // The process "stops" between the claim of recipient 1 and its submit: its link (made before the submit) is not
  // kept, so the claim stands and nothing was sent.
  let failLinks = false;
  const h = (harness = await campaignGateway({
    campaignStore: (store) => {
      const claim = store.claim.bind(store);
      const linked = store.linked.bind(store);
      return Object.assign(store, {
        claim: async (id: string, index: number, messageId: string, at: number) => {
          const claimed = await claim(id, index, messageId, at);
          if (claimed && index === 1) failLinks = true;
          return claimed;
        },
        linked: (id: string, index: number, link: string) => (failLinks ? Promise.reject(new Error('the process stopped')) : linked(id, index, link)),
      } satisfies Partial<CampaignStore>);
    },
  }));
  const rows = rowsOf(3).map((row, i) => ({ ...row, url: `https://shop.example.jp/p/${i}` }));
  const { campaign } = await h.gw.campaigns.create('demo', { kind: 'rows', rows }, { template: 'Hi {{name}} {{link}}' }, { links: { targetColumn: 'url' } });
  await h.clock.advance(10);
  await waitFor(() => failLinks && h.carrier.sent().length === 1, 'recipient 1 claimed, not sent');
  await h.gw.campaigns.control('demo', campaign.id, 'pause');
  const view = await h.gw.campaigns.get('demo', campaign.id);
  expect(view.counts).toMatchObject({ queued: 1 });
  expect(h.carrier.sent()).toHaveLength(1);
  const [claimed] = (await h.gw.campaigns.recipients('demo', campaign.id, { cursor: 1, limit: 1 })).items;
  expect(claimed).toMatchObject({ status: 'queued', messageId: (expect.any(String) as string) });
  await expect(h.gw.messages.get('demo', claimed?.messageId ?? '')).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });

  await h.clock.advance(25 * HOUR);
  failLinks = false;
  await h.gw.campaigns.control('demo', campaign.id, 'resume');
  await h.until(campaign.id, 'completed and delivered', (v) => v.state === 'completed' && v.counts.delivered === 3);
  expect([...sendsPerNumber(h).values()]).toEqual([1, 1, 1]);
  const [after] = (await h.gw.campaigns.recipients('demo', campaign.id, { cursor: 1, limit: 1 })).items;
  expect(after).toMatchObject({ status: 'delivered', messageId: claimed?.messageId });
});

test('a cancel from another process between a claim and its submit: the claimed recipient keeps its real status, the rest are canceled', async () => {
  let cancelAfterClaimOf: number | undefined = 2;
  let campaignId = '';
  const h = (harness = await campaignGateway({
    campaignStore: (store, clock) => {
      const claim = store.claim.bind(store);
      return Object.assign(store, {
        claim: async (id: string, index: number, messageId: string, at: number) => {
          const claimed = await claim(id, index, messageId, at);
          if (index === cancelAfterClaimOf) {
            cancelAfterClaimOf = undefined;
            // What the other process's cancel does in the store, now: the state, then the recipients never claimed.
            await store.transition(campaignId, ['running', 'paused', 'scheduled', 'draft'], 'canceled', 'canceledAt', clock.now);
            await store.cancelRest(campaignId, clock.now);
          }
          return claimed;
        },
      } satisfies Partial<CampaignStore>);
    },
  }));
  const rows = rowsOf(5);
  const { campaign } = await h.gw.campaigns.create('demo', { kind: 'rows', rows }, { template: 'Hi {{name}}' }, { start: false });
  campaignId = campaign.id;
  await h.gw.campaigns.control('demo', campaign.id, 'start');
  const [third] = await waitFor(async () => {
    await h.clock.advance(50);
    const items = (await h.gw.campaigns.recipients('demo', campaign.id, { cursor: 2, limit: 1 })).items;
    return items[0]?.status === 'queued' ? undefined : items;
  }, 'recipient 2 settled');
  const view = await h.gw.campaigns.get('demo', campaign.id);
  expect(view.state).toBe('canceled');
  await h.clock.advance(1_000);
  const sent = sendsPerNumber(h);
  // Recipient 2 was handed on before the cancel: its status is its message's, whichever came first.
  const message = await h.gw.messages.get('demo', third?.messageId ?? '');
  if (sent.has(e164(rows[2]?.phone ?? ''))) {
    expect(third?.status).toMatch(/^(sent|delivered)$/);
    expect(message.status).toMatch(/^(submitted|delivered)$/);
  } else {
    expect(third?.status).toBe('canceled');
    expect(message.status).toBe('canceled');
  }
  // Never more than one message for it, and nothing for the recipients after it.
  expect([...sent.values()].every((count) => count === 1)).toBe(true);
  expect(sent.has(e164(rows[3]?.phone ?? ''))).toBe(false);
  expect(sent.has(e164(rows[4]?.phone ?? ''))).toBe(false);
  const items = (await h.gw.campaigns.recipients('demo', campaign.id, { cursor: 3, limit: 5 })).items;
  expect(items.map((item) => [item.status, item.messageId])).toEqual([
    ['canceled', undefined],
    ['canceled', undefined],
  ]);
});

test('every state change is a campaign.status event with its counts and times, and counted in the metrics', async () => {
  const h = (harness = await campaignGateway());
  const events: CampaignStatusEvent[] = [];
  h.gw.events.subscribe(
    (event: GatewayEvent) => {
      if (event.type === 'campaign.status') events.push(event);
    },
    (type) => type === 'campaign.status',
  );
  const { campaign } = await h.gw.campaigns.create('demo', { kind: 'rows', rows: rowsOf(4) }, { template: 'Hi {{name}}' }, { name: 'spring', tag: 'sale', start: false, pacing: { segmentsPerSecond: 1 } });
  await h.gw.campaigns.control('demo', campaign.id, 'start');
  await h.clock.advance(10);
  await waitFor(() => h.carrier.sent().length === 1, 'the first send');
  await h.gw.campaigns.control('demo', campaign.id, 'pause');
  await h.clock.advance(60_000);
  await h.gw.campaigns.control('demo', campaign.id, 'resume');
  await h.until(campaign.id, 'completed', (view) => view.state === 'completed');

  expect(events.map((event) => [event.state, event.revision])).toEqual([
    ['draft', 0],
    ['running', 1],
    ['paused', 2],
    ['running', 3],
    ['completed', 4],
  ]);
  expect(new Set(events.map((event) => event.id)).size).toBe(5);
  const [draft, started, paused, , completed] = events;
  expect(draft).toMatchObject({ type: 'campaign.status', version: 1, id: `${campaign.id}:0`, campaignId: campaign.id, accountId: 'demo', name: 'spring', tag: 'sale', recipients: 4, segments: 4, handedOn: 0, times: {} });
  expect(draft?.counts).toEqual({ pending: 4, queued: 0, sent: 0, delivered: 0, failed: 0, canceled: 0, clicked: 0 });
  expect(started?.times.startedAt).toBe(started?.at);
  expect(paused).toMatchObject({ handedOn: 1, times: { startedAt: started?.at, pausedAt: paused?.at } });
  expect(completed).toMatchObject({ handedOn: 4, counts: { pending: 0 } });
  expect(Date.parse(completed?.at ?? '')).toBeGreaterThan(Date.parse(paused?.at ?? ''));

  await waitFor(async () => (await h.gw.campaigns.get('demo', campaign.id)).counts.delivered === 4, 'all delivered');
  const transitions = await h.gw.metrics.registry.getSingleMetricAsString('smsgw_campaign_transitions_total');
  expect(transitions).toContain('smsgw_campaign_transitions_total{account="demo",state="running"} 2');
  expect(transitions).toContain('smsgw_campaign_transitions_total{account="demo",state="completed"} 1');
  const recipients = await h.gw.metrics.registry.getSingleMetricAsString('smsgw_campaign_recipients_total');
  for (const status of ['queued', 'sent', 'delivered']) expect(recipients).toContain(`smsgw_campaign_recipients_total{account="demo",status="${status}"} 4`);
  expect(transitions + recipients).not.toContain(campaign.id);
});
