import { afterEach, describe, expect, test } from 'vitest';
import { campaignGateway, rowsOf, type CampaignHarness } from './campaign-harness.ts';
import { waitFor } from '../../support/wait-for.ts';

let harness: CampaignHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const jst = (local: string): number => Date.parse(`${local}+09:00`);

describe('campaigns on the memory backend', () => {
  test('what the preview counts is what the carrier gets: messages, segments, refused rows; recipients end delivered', async () => {
    const h = (harness = await campaignGateway());
    const rows = [...rowsOf(6, (i) => (i % 2 === 0 ? `short ${i}` : `long ${'x'.repeat(170)} ${i}`)), { phone: '12', name: 'bad number' }];
    const request = { template: 'Hi {{name}}' };
    const preview = await h.gw.campaignInput.preview('demo', { kind: 'rows', rows }, request);
    const { campaign, summary } = await h.gw.campaigns.create('demo', { kind: 'rows', rows }, request, {});
    expect(summary).toMatchObject({ messages: preview.messages, segments: preview.segments, refusals: preview.refusals });
    expect(campaign).toMatchObject({ state: 'running', recipients: 6, segments: preview.segments });
    await h.clock.advance(10);
    const done = await h.until(campaign.id, 'completed and delivered', (view) => view.state === 'completed' && view.counts.delivered === 6);
    const sent = h.carrier.sent();
    expect(sent).toHaveLength(preview.messages);
    expect(sent.reduce((sum, request) => sum + request.encoded.parts.length, 0)).toBe(preview.segments);
    expect(done).toMatchObject({ counts: { pending: 0, queued: 0, sent: 0, delivered: 6, failed: 0 }, progress: { handedOn: 6, percent: 100 } });
    const page = await h.gw.campaigns.recipients('demo', campaign.id, { limit: 4 });
    expect(page.items.map((item) => item.index)).toEqual([0, 1, 2, 3]);
    expect(page.nextCursor).toBe(4);
    expect(page.items[0]).toMatchObject({ status: 'delivered', queuedAt: (expect.any(String) as string), sentAt: (expect.any(String) as string), deliveredAt: (expect.any(String) as string), messageId: (expect.any(String) as string) });
    const record = await h.gw.messages.get('demo', page.items[0]?.messageId ?? '');
    expect(record.envelope).toMatchObject({ lane: 'bulk', tag: 'campaign', clientRef: `campaign:${campaign.id}:0` });
  });

  test('pacing in segments per second; pause holds, resume goes on, cancel stops the rest', async () => {
    const h = (harness = await campaignGateway());
    const rows = rowsOf(10);
    const { campaign } = await h.gw.campaigns.create('demo', { kind: 'rows', rows }, { template: 'Hi {{name}}' }, { pacing: { segmentsPerSecond: 1 } });
    await h.clock.advance(10);
    await waitFor(() => h.carrier.sent().length === 1, 'the first send');
    await h.clock.advance(1_000);
    await waitFor(() => h.carrier.sent().length === 2, 'one more a second later');
    expect((await h.gw.campaigns.get('demo', campaign.id)).progress.etaSeconds).toBe(8);
    const paused = await h.gw.campaigns.control('demo', campaign.id, 'pause');
    expect(paused.state).toBe('paused');
    await h.clock.advance(60_000);
    expect(h.carrier.sent()).toHaveLength(2);
    await expect(h.gw.campaigns.control('demo', campaign.id, 'pause')).rejects.toMatchObject({ code: 'CAMPAIGN_BAD_STATE' });
    await h.gw.campaigns.control('demo', campaign.id, 'resume');
    await h.clock.advance(2_000);
    await waitFor(() => h.carrier.sent().length >= 3, 'sending again after resume');
    const canceled = await h.gw.campaigns.cancel('demo', campaign.id);
    const handed = h.carrier.sent().length;
    expect(canceled.progress.handedOn).toBe(handed);
    expect(canceled).toMatchObject({ state: 'canceled', counts: { canceled: 10 - handed, pending: 0 } });
    await h.clock.advance(60_000);
    expect(h.carrier.sent()).toHaveLength(handed);
    await expect(h.gw.campaigns.control('demo', campaign.id, 'resume')).rejects.toMatchObject({ code: 'CAMPAIGN_BAD_STATE' });
    await expect(h.gw.campaigns.get('other', campaign.id)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
    const canceledPage = await h.gw.campaigns.recipients('demo', campaign.id, { status: 'canceled', limit: 100 });
    expect(canceledPage.items).toHaveLength(10 - handed);
  });

  test('a campaign that crosses the end of its window waits for the next opening, then resumes in order', async () => {
    const sendWindow = { rules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[], from: '08:00', to: '21:00' }] };
    const h = (harness = await campaignGateway({ start: jst('2026-01-15T20:59:57') }));
    const { campaign } = await h.gw.campaigns.create('demo', { kind: 'rows', rows: rowsOf(6) }, { template: 'Hi {{name}}' }, { pacing: { segmentsPerSecond: 1 }, sendWindow });
    await h.clock.advance(10);
    await h.clock.until('three sent before 21:00', () => h.carrier.sent().length === 3, 5_000, 100);
    await h.clock.advance(60 * 60_000);
    expect(h.carrier.sent()).toHaveLength(3);
    expect((await h.gw.campaigns.get('demo', campaign.id)).state).toBe('running');
    h.clock.now = jst('2026-01-16T07:59:59');
    await h.clock.advance(10_000);
    await h.until(campaign.id, 'completed the next morning', (view) => view.state === 'completed');
    expect(h.carrier.sent().map((request) => request.to)).toEqual(rowsOf(6).map((row) => `+81${row.phone.slice(1)}`));
  });

  test('draft and scheduled campaigns wait; {{link}} gets a link per recipient and its first click is recorded', async () => {
    const h = (harness = await campaignGateway());
    const rows = rowsOf(2).map((row, i) => ({ ...row, url: `https://shop.example.jp/p/${i}` }));
    const draft = await h.gw.campaigns.create('demo', { kind: 'rows', rows }, { template: 'Sale {{name}} {{link}}' }, { start: false, links: { targetColumn: 'url' } });
    expect(draft.campaign.state).toBe('draft');
    await h.clock.advance(10_000);
    expect(h.carrier.sent()).toHaveLength(0);
    const scheduled = await h.gw.campaigns.control('demo', draft.campaign.id, 'start');
    expect(scheduled.state).toBe('running');
    await h.clock.advance(10);
    await h.until(draft.campaign.id, 'completed', (view) => view.state === 'completed');
    const text = h.carrier.sent()[0]?.encoded.text ?? '';
    const code = /https:\/\/s\.example\.jp\/l\/(\w+)/.exec(text)?.[1];
    expect(code).toBeDefined();
    expect(text).not.toContain('XXXX');
    const answer = await h.gw.shortLinks.follow(code ?? '', { method: 'GET', userAgent: 'Mozilla/5.0' });
    expect(answer).toMatchObject({ outcome: 'redirect', location: 'https://shop.example.jp/p/0' });
    const clicked = await h.until(draft.campaign.id, 'a click', (view) => view.counts.clicked === 1);
    expect(clicked.counts.clicked).toBe(1);
    const [first] = (await h.gw.campaigns.recipients('demo', draft.campaign.id, { status: 'clicked', limit: 10 })).items;
    expect(first).toMatchObject({ index: 0, clickedAt: (expect.any(String) as string) });
    // The link knows its message: the click is on the message's timeline too.
    const message = await h.gw.messages.get('demo', first?.messageId ?? '');
    expect(message.timeline.filter((entry) => entry.event === 'clicked')).toEqual([expect.objectContaining({ detail: code })]);

    const later = await h.gw.campaigns.create('demo', { kind: 'rows', rows: rowsOf(1) }, { template: 'Hi {{name}}' }, { sendAt: h.clock.now + 3_600_000 });
    expect(later.campaign.state).toBe('scheduled');
    await h.clock.advance(3_000_000);
    expect((await h.gw.campaigns.get('demo', later.campaign.id)).state).toBe('scheduled');
    await h.clock.advance(700_000);
    await h.until(later.campaign.id, 'sent at its time', (view) => view.state === 'completed');
  });

  test('input that cannot make a campaign is refused with its code', async () => {
    const h = (harness = await campaignGateway());
    await expect(h.gw.campaigns.create('demo', { kind: 'rows', rows: [{ phone: '1', name: 'x' }] }, { template: 'Hi {{name}}' }, {})).rejects.toMatchObject({ code: 'CAMPAIGN_NO_VALID_ROWS' });
    await expect(h.gw.campaigns.create('demo', { kind: 'rows', rows: rowsOf(1) }, { template: 'Hi {{link}}' }, {})).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID_REQUEST', details: { field: 'links' } });
    const missing = await h.gw.campaigns.create('demo', { kind: 'rows', rows: [{ phone: '09012345678', url: '' }, { phone: '09012345679', url: 'https://x.example/' }] }, { template: 'Go {{link}}' }, { start: false, links: { targetColumn: 'url' } });
    expect(missing.summary).toMatchObject({ messages: 1, refusals: { CAMPAIGN_MISSING_LINK_TARGET: 1 } });
  });
});
