/** Campaigns in this process (the embedded mode): nothing survives a restart. */
import type {
  CampaignRecipient,
  CampaignRecord,
  CampaignStamp,
  CampaignState,
  CampaignStore,
  NewCampaign,
  NewRecipient,
  RecipientChange,
  RecipientStatus,
} from '../../ports/campaign-store.ts';
import { RECIPIENT_RANK } from '../../ports/campaign-store.ts';

interface Held {
  campaign: NewCampaign;
  state: CampaignState;
  stamps: Partial<Record<CampaignStamp, number>>;
  cursor: number;
  inFlight?: number;
  revision: number;
  counts: Record<RecipientStatus | 'clicked', number>;
  recipients: CampaignRecipient[];
  byNumber: Map<string, number>;
  lease?: { owner: string; until: number };
}

const STAMP_OF: Readonly<Record<Exclude<RecipientStatus, 'pending'>, keyof CampaignRecipient>> = {
  queued: 'queuedAt',
  sent: 'sentAt',
  delivered: 'deliveredAt',
  failed: 'failedAt',
  canceled: 'canceledAt',
};

export class MemoryCampaignStore implements CampaignStore {
  private readonly campaigns = new Map<string, Held>();

  constructor(private readonly now: () => number = Date.now) {}

  create(campaign: NewCampaign, recipients: readonly NewRecipient[]): Promise<void> {
    const list = recipients.map((recipient, index): CampaignRecipient => ({ ...recipient, index, status: 'pending' }));
    this.campaigns.set(campaign.id, {
      campaign,
      state: campaign.state,
      stamps: {},
      cursor: 0,
      revision: 0,
      counts: { pending: list.length, queued: 0, sent: 0, delivered: 0, failed: 0, canceled: 0, clicked: 0 },
      recipients: list,
      byNumber: new Map(list.map((recipient) => [recipient.to, recipient.index])),
    });
    return Promise.resolve();
  }

  get(id: string): Promise<CampaignRecord | undefined> {
    const held = this.campaigns.get(id);
    return Promise.resolve(held === undefined ? undefined : recordOf(held));
  }

  list(accountId: string, limit: number): Promise<CampaignRecord[]> {
    const mine = [...this.campaigns.values()].filter((held) => held.campaign.accountId === accountId);
    mine.sort((a, b) => b.campaign.createdAt - a.campaign.createdAt || (a.campaign.id < b.campaign.id ? 1 : -1));
    return Promise.resolve(mine.slice(0, limit).map(recordOf));
  }

  active(): Promise<string[]> {
    return Promise.resolve([...this.campaigns.values()].filter((held) => held.state === 'scheduled' || held.state === 'running').map((held) => held.campaign.id));
  }

  transition(id: string, from: readonly CampaignState[], to: CampaignState, stamp: CampaignStamp | undefined, at: number): Promise<CampaignRecord | undefined> {
    const held = this.campaigns.get(id);
    if (held === undefined || !from.includes(held.state)) return Promise.resolve(undefined);
    held.state = to;
    held.revision += 1;
    if (stamp !== undefined) held.stamps[stamp] = at;
    return Promise.resolve(recordOf(held));
  }

  recipients(id: string, start: number, count: number): Promise<CampaignRecipient[]> {
    return Promise.resolve(this.campaigns.get(id)?.recipients.slice(start, start + count).map((recipient) => ({ ...recipient })) ?? []);
  }

  linked(id: string, index: number, link: string): Promise<void> {
    const held = this.campaigns.get(id);
    const recipient = held?.recipients[index];
    if (held !== undefined && recipient !== undefined) held.recipients[index] = { ...recipient, link };
    return Promise.resolve();
  }

  claim(id: string, index: number, messageId: string, at: number): Promise<boolean> {
    const held = this.campaigns.get(id);
    const recipient = held?.recipients[index];
    if (held?.state !== 'running' || held.cursor !== index || held.inFlight !== undefined || recipient?.status !== 'pending') return Promise.resolve(false);
    held.recipients[index] = { ...recipient, messageId };
    this.move(held, index, { status: 'queued', at, messageId });
    held.cursor = index + 1;
    held.inFlight = index;
    return Promise.resolve(true);
  }

  confirm(id: string, index: number, messageId: string): Promise<CampaignState | undefined> {
    const held = this.campaigns.get(id);
    if (held === undefined) return Promise.resolve(undefined);
    const recipient = held.recipients[index];
    if (recipient !== undefined && recipient.messageId !== messageId) held.recipients[index] = { ...recipient, messageId };
    if (held.inFlight === index) delete held.inFlight;
    return Promise.resolve(held.state);
  }

  unsent(id: string, index: number, change: { readonly status: 'failed' | 'canceled'; readonly at: number; readonly error?: string }): Promise<boolean> {
    const held = this.campaigns.get(id);
    if (held?.inFlight !== index) return Promise.resolve(false);
    delete held.inFlight;
    if (held.recipients[index]?.status !== 'queued' || !this.move(held, index, change)) return Promise.resolve(false);
    // No message was made: the id decided for it names nothing.
    const { messageId: _none, ...recipient } = held.recipients[index];
    held.recipients[index] = recipient;
    return Promise.resolve(true);
  }

  update(id: string, index: number, change: RecipientChange): Promise<boolean> {
    const held = this.campaigns.get(id);
    return Promise.resolve(held === undefined ? false : this.move(held, index, change));
  }

  clicked(id: string, to: string, at: number): Promise<boolean> {
    const held = this.campaigns.get(id);
    const index = held?.byNumber.get(to);
    const recipient = index === undefined ? undefined : held?.recipients[index];
    if (held === undefined || recipient === undefined || recipient.clickedAt !== undefined) return Promise.resolve(false);
    held.recipients[recipient.index] = { ...recipient, clickedAt: at };
    held.counts.clicked += 1;
    return Promise.resolve(true);
  }

  cancelRest(id: string, at: number): Promise<number> {
    const held = this.campaigns.get(id);
    if (held === undefined) return Promise.resolve(0);
    let canceled = 0;
    for (let index = held.cursor; index < held.recipients.length; index++) {
      if (held.recipients[index]?.status === 'pending' && this.move(held, index, { status: 'canceled', at })) canceled += 1;
    }
    held.cursor = held.recipients.length;
    return Promise.resolve(canceled);
  }

  lease(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const held = this.campaigns.get(id);
    if (held === undefined) return Promise.resolve(false);
    const now = this.now();
    if (held.lease !== undefined && held.lease.owner !== owner && held.lease.until > now) return Promise.resolve(false);
    held.lease = { owner, until: now + ttlMs };
    return Promise.resolve(true);
  }

  release(id: string, owner: string): Promise<void> {
    const held = this.campaigns.get(id);
    if (held?.lease?.owner === owner) delete held.lease;
    return Promise.resolve();
  }

  private move(held: Held, index: number, change: RecipientChange): boolean {
    const recipient = held.recipients[index];
    if (recipient === undefined || RECIPIENT_RANK[change.status] <= RECIPIENT_RANK[recipient.status]) return false;
    // An event names the message the recipient was claimed with; a recipient never claimed has none.
    if (change.messageId !== undefined && change.messageId !== recipient.messageId) return false;
    held.counts[recipient.status] -= 1;
    held.counts[change.status] += 1;
    held.recipients[index] = {
      ...recipient,
      status: change.status,
      [STAMP_OF[change.status]]: change.at,
      ...(change.messageId === undefined ? {} : { messageId: change.messageId }),
      ...(change.error === undefined ? {} : { error: change.error }),
    };
    return true;
  }
}

function recordOf(held: Held): CampaignRecord {
  return {
    ...held.campaign,
    state: held.state,
    stamps: { ...held.stamps },
    cursor: held.cursor,
    ...(held.inFlight === undefined ? {} : { inFlight: held.inFlight }),
    revision: held.revision,
    counts: { ...held.counts },
  };
}
