import type { CampaignStatusEvent } from '../events/gateway-event.ts';
import type { CampaignRecord, CampaignStamp } from '../ports/campaign-store.ts';

/** Recipients handed on: after a cancel the cursor is at the end, and what was canceled was never handed to a connector. */
export function handedOnOf(record: CampaignRecord): number {
  return Math.min(record.cursor, record.total - record.counts.canceled);
}

/** The `campaign.status` event of a campaign as a state change left it; the change's time is its latest stamp. */
export function campaignStatusEvent(record: CampaignRecord): CampaignStatusEvent {
  const times: Partial<Record<CampaignStamp, string>> = {};
  let at = record.createdAt;
  for (const [stamp, time] of Object.entries(record.stamps) as [CampaignStamp, number][]) {
    times[stamp] = new Date(time).toISOString();
    at = Math.max(at, time);
  }
  return {
    type: 'campaign.status',
    version: 1,
    id: `${record.id}:${record.revision}`,
    campaignId: record.id,
    accountId: record.accountId,
    ...(record.name === undefined ? {} : { name: record.name }),
    tag: record.options.tag,
    state: record.state,
    at: new Date(at).toISOString(),
    revision: record.revision,
    recipients: record.total,
    segments: record.segments,
    handedOn: handedOnOf(record),
    counts: { ...record.counts },
    createdAt: new Date(record.createdAt).toISOString(),
    times,
  };
}
