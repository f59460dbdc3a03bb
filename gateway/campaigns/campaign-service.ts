/**
 * Campaigns that send: `create` reads the rows as the preview does (the same validation, so what the preview
 * counts is what is stored and sent), stores the good ones as recipients in order, and starts, schedules or keeps
 * the campaign as a draft. States: draft -> scheduled | running; scheduled -> running (at sendAt); running <->
 * paused; running -> completed; any but completed -> canceled. Cancel stops the claims in every process (the
 * state change), marks every recipient never claimed canceled, and cancels the messages still queued (not yet
 * handed to a connector); a recipient claimed before it keeps its real status. `changed` hears of every state
 * change (the `campaign.status` event).
 */
import { randomUUID } from 'node:crypto';
import type { AccountConfig, AccountRegistry } from '../accounts/account-registry.ts';
import type { MessagesService } from '../messages/messages-service.ts';
import type { CampaignOptions, CampaignRecipient, CampaignRecord, CampaignStamp, CampaignState, CampaignStore, NewRecipient, RecipientCounter, RecipientStatus } from '../ports/campaign-store.ts';
import { gatewayError } from '../errors.ts';
import { campaignError } from './campaign-errors.ts';
import type { CampaignInputService, CampaignRowsRequest } from './campaign-input-service.ts';
import { SegmentBucket } from './campaign-pacing.ts';
import { handedOnOf } from './campaign-status-event.ts';
import type { CampaignRunner } from './campaign-runner.ts';
import type { CampaignSource } from './campaign-rows.ts';
import { linkPlaceholder } from './campaign-template.ts';
import { PreviewTotals, type CampaignPreview } from './preview-totals.ts';

export interface CampaignServiceOptions {
  readonly store: CampaignStore;
  readonly input: CampaignInputService;
  readonly accounts: AccountRegistry;
  readonly runner: CampaignRunner;
  readonly messages: Pick<MessagesService, 'cancel'>;
  readonly linkShape: () => { readonly baseUrl: string; readonly codeLength: number } | undefined;
  /** Every state change, once stored (the API answers after it). */
  readonly changed?: (record: CampaignRecord) => Promise<void>;
  readonly counted?: RecipientCounter;
  readonly now: () => number;
}

export interface CreateCampaign extends Omit<CampaignOptions, 'tag'> {
  readonly name?: string;
  readonly tag?: string;
  /** false: stay a draft until started. */
  readonly start?: boolean;
}

export interface CampaignView {
  readonly id: string;
  readonly name?: string;
  readonly state: CampaignState;
  readonly template: string;
  readonly options: CampaignOptions;
  readonly recipients: number;
  readonly segments: number;
  readonly createdAt: string;
  readonly times: Partial<Record<CampaignStamp, string>>;
  readonly counts: Readonly<Record<RecipientStatus | 'clicked', number>>;
  readonly progress: {
    /** Recipients handed on (or refused), of `recipients`. */
    readonly handedOn: number;
    readonly percent: number;
    /** Recipients handed on per second since the start. */
    readonly ratePerSecond: number;
    /** Seconds until the last is handed on at the configured or measured rate (absent when unknown). */
    readonly etaSeconds?: number;
  };
}

export interface RecipientView {
  readonly index: number;
  readonly line: number;
  readonly to: string;
  readonly status: RecipientStatus;
  readonly segments: number;
  readonly messageId?: string;
  readonly error?: string;
  readonly queuedAt?: string;
  readonly sentAt?: string;
  readonly deliveredAt?: string;
  readonly failedAt?: string;
  readonly canceledAt?: string;
  readonly clickedAt?: string;
}

export type RecipientFilter = RecipientStatus | 'clicked';

const PAGE_READ = 500;
const CONTROL: Readonly<Record<'start' | 'pause' | 'resume', { from: readonly CampaignState[]; stamp: CampaignStamp }>> = {
  start: { from: ['draft'], stamp: 'startedAt' },
  pause: { from: ['running', 'scheduled'], stamp: 'pausedAt' },
  resume: { from: ['paused'], stamp: 'resumedAt' },
};

export class CampaignService {
  constructor(private readonly options: CampaignServiceOptions) {}

  /** Reads and stores a campaign; answers it with the rows' summary (as the preview's). */
  async create(from: string | AccountConfig, source: CampaignSource, request: CampaignRowsRequest, create: CreateCampaign): Promise<{ campaign: CampaignView; summary: CampaignPreview }> {
    const account = typeof from === 'string' ? this.account(from) : from;
    const now = this.options.now();
    const input = this.options.input.rows(account, source, request);
    const { links } = create;
    if (input.template.usesLink && links?.target === undefined && links?.targetColumn === undefined) {
      throw campaignError('CAMPAIGN_INVALID_REQUEST', 'the template has {{link}}: give links.target or links.targetColumn', { field: 'links' });
    }
    if (links?.target !== undefined && !/^https?:\/\//i.test(links.target)) throw campaignError('CAMPAIGN_INVALID_REQUEST', `links.target "${links.target}" is not an http(s) URL`, { field: 'links.target' });
    const totals = new PreviewTotals({ sampleRows: 0 });
    const recipients: NewRecipient[] = [];
    let segments = 0;
    for await (const row of input.rows) {
      if (!row.ok) {
        totals.add(row);
        continue;
      }
      let linkTarget: string | undefined;
      if (input.template.usesLink) {
        linkTarget = links?.targetColumn === undefined ? links?.target : row.variables[links.targetColumn] || links.target;
        if (linkTarget === undefined || !/^https?:\/\//i.test(linkTarget)) {
          const column = links?.targetColumn ?? 'links.target';
          totals.add({ ok: false, line: row.line, column, code: 'CAMPAIGN_MISSING_LINK_TARGET', message: `no http(s) link target in ${column}` });
          continue;
        }
      }
      totals.add(row);
      segments += row.segments;
      recipients.push({ line: row.line, to: row.to, text: row.text, segments: row.segments, ...(linkTarget === undefined ? {} : { linkTarget }) });
    }
    const summary = totals.result();
    if (recipients.length === 0) throw campaignError('CAMPAIGN_NO_VALID_ROWS', `none of ${summary.rows.total} rows can be sent`, { field: 'rows', refusals: JSON.stringify(summary.refusals) });
    const state: CampaignState = create.start === false ? 'draft' : create.sendAt !== undefined && create.sendAt > now ? 'scheduled' : 'running';
    const shape = input.template.usesLink ? this.options.linkShape() : undefined;
    const { name, start: _start, tag, ...rest } = create;
    const id = randomUUID();
    await this.options.store.create(
      {
        id,
        accountId: account.id,
        ...(name === undefined ? {} : { name }),
        template: request.template,
        options: { ...rest, tag: tag ?? request.tag ?? 'campaign', ...(request.from === undefined || rest.from !== undefined ? {} : { from: request.from }) },
        total: recipients.length,
        segments,
        createdAt: now,
        state,
        ...(shape === undefined ? {} : { linkPlaceholder: linkPlaceholder(shape) }),
      },
      recipients,
    );
    if (state === 'scheduled') await this.options.store.transition(id, ['scheduled'], 'scheduled', 'scheduledAt', now);
    if (state === 'running') await this.options.store.transition(id, ['running'], 'running', 'startedAt', now);
    const record = await this.record(account.id, id);
    await this.options.changed?.(record);
    if (state !== 'draft') this.options.runner.run(id);
    return { campaign: this.view(record), summary };
  }

  async get(accountId: string, id: string): Promise<CampaignView> {
    return this.view(await this.record(accountId, id));
  }

  async list(accountId: string, limit = 50): Promise<CampaignView[]> {
    return (await this.options.store.list(accountId, limit)).map((record) => this.view(record));
  }

  /** start (a draft: now, or at its sendAt), pause, resume. */
  async control(accountId: string, id: string, action: 'start' | 'pause' | 'resume'): Promise<CampaignView> {
    const before = await this.record(accountId, id);
    const { from, stamp } = CONTROL[action];
    const to: CampaignState = action === 'pause' ? 'paused' : action === 'start' && (before.options.sendAt ?? 0) > this.options.now() ? 'scheduled' : 'running';
    const after = await this.options.store.transition(id, from, to, stamp, this.options.now());
    if (after === undefined) throw badState(before, action);
    if (action === 'pause') await this.options.runner.halt(id);
    else this.options.runner.run(id);
    await this.options.changed?.(after);
    return this.view(after);
  }

  /** Stops the campaign for good: what was not handed to a connector yet is canceled. */
  async cancel(accountId: string, id: string): Promise<CampaignView> {
    const before = await this.record(accountId, id);
    const after = await this.options.store.transition(id, ['draft', 'scheduled', 'running', 'paused'], 'canceled', 'canceledAt', this.options.now());
    if (after === undefined) throw badState(before, 'cancel');
    await this.options.runner.halt(id);
    await this.options.runner.settleCanceled(id);
    const canceled = await this.options.store.cancelRest(id, this.options.now());
    if (canceled > 0) this.options.counted?.(accountId, 'canceled', canceled);
    // Messages handed on but still queued (not yet with a connector) are canceled too; their events mark the recipients.
    for await (const recipient of this.matching(id, 'queued')) {
      if (recipient.messageId !== undefined) await this.options.messages.cancel(accountId, recipient.messageId).catch(() => undefined);
    }
    const record = await this.record(accountId, id);
    await this.options.changed?.(record);
    return this.view(record);
  }

  /** A page of recipients in order, optionally of one status; `cursor` is the index to go on from. */
  async recipients(accountId: string, id: string, page: { status?: RecipientFilter; limit: number; cursor?: number }): Promise<{ items: RecipientView[]; nextCursor?: number }> {
    const record = await this.record(accountId, id);
    const items: RecipientView[] = [];
    let next = page.cursor ?? 0;
    while (next < record.total && items.length < page.limit) {
      const chunk = await this.options.store.recipients(id, next, PAGE_READ);
      if (chunk.length === 0) break;
      for (const recipient of chunk) {
        next = recipient.index + 1;
        if (matches(recipient, page.status)) items.push(recipientView(recipient));
        if (items.length >= page.limit) break;
      }
    }
    return { items, ...(next < record.total ? { nextCursor: next } : {}) };
  }

  /** Every recipient in order (for the CSV export); reads in chunks. */
  async *all(accountId: string, id: string, status?: RecipientFilter): AsyncGenerator<RecipientView> {
    await this.record(accountId, id);
    for await (const recipient of this.matching(id, status)) yield recipientView(recipient);
  }

  /** A click on a campaign's link (the link's account is the campaign's): the recipient's first click time. */
  async clicked(accountId: string, campaignId: string, to: string, at: number): Promise<void> {
    if (await this.options.store.clicked(campaignId, to, at)) this.options.counted?.(accountId, 'clicked', 1);
  }

  private async *matching(id: string, status: RecipientFilter | undefined): AsyncGenerator<CampaignRecipient> {
    for (let start = 0; ; start += PAGE_READ) {
      const chunk = await this.options.store.recipients(id, start, PAGE_READ);
      for (const recipient of chunk) if (matches(recipient, status)) yield recipient;
      if (chunk.length < PAGE_READ) return;
    }
  }

  private async record(accountId: string, id: string): Promise<CampaignRecord> {
    const record = await this.options.store.get(id);
    if (record === undefined || record.accountId !== accountId) throw campaignError('CAMPAIGN_NOT_FOUND', `campaign ${id}`, { field: 'id' });
    return record;
  }

  private account(accountId: string): AccountConfig {
    const account = this.options.accounts.get(accountId);
    if (account === undefined) throw gatewayError('GW_NOT_FOUND', `account ${accountId}`, { field: 'account' });
    return account;
  }

  private view(record: CampaignRecord): CampaignView {
    const now = this.options.now();
    const handedOn = handedOnOf(record);
    const started = record.stamps.startedAt;
    const elapsed = started === undefined ? 0 : Math.max(1, now - started) / 1000;
    const ratePerSecond = elapsed === 0 ? 0 : Math.round((handedOn / elapsed) * 100) / 100;
    const remaining = record.total - handedOn;
    const paced = SegmentBucket.rateOf(record.options.pacing);
    const segmentsLeft = record.total === 0 ? 0 : (record.segments * remaining) / record.total;
    const eta = remaining === 0 ? 0 : paced !== undefined ? segmentsLeft / paced : ratePerSecond > 0 ? remaining / ratePerSecond : undefined;
    const times: Partial<Record<CampaignStamp, string>> = {};
    for (const [stamp, at] of Object.entries(record.stamps) as [CampaignStamp, number][]) times[stamp] = new Date(at).toISOString();
    return {
      id: record.id,
      ...(record.name === undefined ? {} : { name: record.name }),
      state: record.state,
      template: record.template,
      options: record.options,
      recipients: record.total,
      segments: record.segments,
      createdAt: new Date(record.createdAt).toISOString(),
      times,
      counts: record.counts,
      progress: {
        handedOn,
        percent: record.total === 0 ? 100 : Math.floor((handedOn * 1000) / record.total) / 10,
        ratePerSecond,
        ...(eta === undefined || record.state === 'completed' || record.state === 'canceled' ? {} : { etaSeconds: Math.ceil(eta) }),
      },
    };
  }
}

function matches(recipient: CampaignRecipient, status: RecipientFilter | undefined): boolean {
  return status === undefined || (status === 'clicked' ? recipient.clickedAt !== undefined : recipient.status === status);
}

function badState(record: CampaignRecord, action: string): Error {
  return campaignError('CAMPAIGN_BAD_STATE', `cannot ${action} a ${record.state} campaign`, { field: 'state', state: record.state });
}

const iso = (at: number | undefined): string | undefined => (at === undefined ? undefined : new Date(at).toISOString());

export function recipientView(recipient: CampaignRecipient): RecipientView {
  const stamps = { queuedAt: iso(recipient.queuedAt), sentAt: iso(recipient.sentAt), deliveredAt: iso(recipient.deliveredAt), failedAt: iso(recipient.failedAt), canceledAt: iso(recipient.canceledAt), clickedAt: iso(recipient.clickedAt) };
  const view: Record<string, unknown> = { index: recipient.index, line: recipient.line, to: recipient.to, status: recipient.status, segments: recipient.segments };
  if (recipient.messageId !== undefined) view.messageId = recipient.messageId;
  if (recipient.error !== undefined) view.error = recipient.error;
  for (const [key, value] of Object.entries(stamps)) if (value !== undefined) view[key] = value;
  return view as unknown as RecipientView;
}
