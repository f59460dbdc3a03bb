/**
 * Campaigns and their recipients (see gateway/campaigns/campaign-service.ts). A campaign's recipients are stored
 * at create time in row order, each with its rendered text; the runner hands them on one by one from the stored
 * cursor, so a restart resumes where the last process stopped. Status changes of a recipient only move forward
 * (pending -> queued -> sent -> delivered | failed; pending -> canceled; queued -> failed | canceled), so events
 * that arrive late or twice change nothing; `clickedAt` is set once. The per-status counters move with the
 * recipients in the same step.
 *
 * Handing a recipient on is a claim, then a submit, then a confirm. The claim is one atomic step that holds only
 * while the campaign is `running`, so a pause or a cancel (a state change, also atomic) and a claim exclude each
 * other across processes: after the change no recipient is claimed, and a recipient claimed before it keeps its
 * real status (its message's). The claim stores the message id decided for the submit and marks the recipient as
 * the campaign's submit in flight; the store is then the record of what was handed on, whatever the age of the
 * submit's Idempotency-Key: a runner that finds a submit in flight asks whether that message is stored before
 * submitting it again.
 */
import type { SendWindowConfig } from '../windows/send-windows.ts';

export const CAMPAIGN_STATES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'canceled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const RECIPIENT_STATUSES = ['pending', 'queued', 'sent', 'delivered', 'failed', 'canceled'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** How far along a status is: a change to a lower or equal rank is ignored. */
export const RECIPIENT_RANK: Readonly<Record<RecipientStatus, number>> = { pending: 0, queued: 1, sent: 2, delivered: 3, failed: 3, canceled: 3 };

export interface CampaignPacing {
  /** Segments per second or per hour, counted as carriers count them (a 3-part message is 3). */
  readonly segmentsPerSecond?: number;
  readonly segmentsPerHour?: number;
}

export interface CampaignLinkOptions {
  /** The column whose value is the row's link target (e.g. `url`). */
  readonly targetColumn?: string;
  /** One target for every row (each recipient still gets a link of their own). */
  readonly target?: string;
  /** When the links expire, epoch ms (default: the link service's lifetime). */
  readonly expiresAt?: number;
}

export interface CampaignOptions {
  readonly from?: string;
  readonly tag: string;
  readonly sendAt?: number;
  readonly sendWindow?: SendWindowConfig;
  readonly pacing?: CampaignPacing;
  readonly validitySeconds?: number;
  readonly links?: CampaignLinkOptions;
}

/** What never changes after create. */
export interface NewCampaign {
  readonly id: string;
  readonly accountId: string;
  readonly name?: string;
  readonly template: string;
  readonly options: CampaignOptions;
  readonly total: number;
  readonly segments: number;
  readonly createdAt: number;
  readonly state: CampaignState;
  /** The stand-in of {{link}} in the stored texts, replaced by each recipient's own link when sent. */
  readonly linkPlaceholder?: string;
}

export type CampaignStamp = 'scheduledAt' | 'startedAt' | 'pausedAt' | 'resumedAt' | 'completedAt' | 'canceledAt';

export interface CampaignRecord extends NewCampaign {
  /** When the state last changed, per kind of change. */
  readonly stamps: Partial<Record<CampaignStamp, number>>;
  /** Index of the next recipient to hand on. */
  readonly cursor: number;
  /** The recipient claimed and not yet confirmed (its submit may or may not have been stored). */
  readonly inFlight?: number;
  /** How many state changes the campaign has had (the `campaign.status` event's sequence). */
  readonly revision: number;
  readonly counts: Readonly<Record<RecipientStatus | 'clicked', number>>;
}

export interface NewRecipient {
  readonly line: number;
  readonly to: string;
  readonly text: string;
  readonly segments: number;
  /** The row's link target, when the template has {{link}}. */
  readonly linkTarget?: string;
}

export interface CampaignRecipient extends NewRecipient {
  readonly index: number;
  readonly status: RecipientStatus;
  /** The recipient's own short link, stored before the submit so that a submit made again sends the same text. */
  readonly link?: string;
  readonly messageId?: string;
  readonly error?: string;
  readonly queuedAt?: number;
  readonly sentAt?: number;
  readonly deliveredAt?: number;
  readonly failedAt?: number;
  readonly canceledAt?: number;
  readonly clickedAt?: number;
}

export interface RecipientChange {
  readonly status: Exclude<RecipientStatus, 'pending'>;
  readonly at: number;
  readonly messageId?: string;
  readonly error?: string;
}

/** Told when recipients of an account's campaign moved to a status, or clicked first (metrics). */
export type RecipientCounter = (accountId: string, status: RecipientStatus | 'clicked', count: number) => void;

export interface CampaignStore {
  /** Stores a campaign and its recipients (in order, indexes from 0). */
  create(campaign: NewCampaign, recipients: readonly NewRecipient[]): Promise<void>;
  get(id: string): Promise<CampaignRecord | undefined>;
  /** An account's campaigns, newest first. */
  list(accountId: string, limit: number): Promise<CampaignRecord[]>;
  /** Campaigns in `scheduled` or `running` state (what a starting process resumes). */
  active(): Promise<string[]>;
  /** Moves the state when it is one of `from` (and counts the change); answers the record after, or undefined when it was not. */
  transition(id: string, from: readonly CampaignState[], to: CampaignState, stamp: CampaignStamp | undefined, at: number): Promise<CampaignRecord | undefined>;
  /** Recipients from `start`, at most `count`, in order. */
  recipients(id: string, start: number, count: number): Promise<CampaignRecipient[]>;
  /** Keeps the short link made for recipient `index` (before its submit). */
  linked(id: string, index: number, link: string): Promise<void>;
  /**
   * Claims recipient `index` for its submit, in one step, only when the campaign is `running`, its cursor is at
   * `index`, no submit is in flight and the recipient is pending: the recipient becomes queued with `messageId`
   * (decided before the submit), the cursor moves past it and it is the submit in flight. False otherwise.
   */
  claim(id: string, index: number, messageId: string, at: number): Promise<boolean>;
  /**
   * The submit in flight of recipient `index` is stored as message `messageId` (the claimed id; another only when
   * an Idempotency-Key answered an older message): clears the mark. Answers the campaign's state then (undefined
   * for no such campaign), so a runner whose campaign was canceled meanwhile cancels the message it just made.
   */
  confirm(id: string, index: number, messageId: string): Promise<CampaignState | undefined>;
  /**
   * The submit in flight of recipient `index` made no message: it was refused (`failed`, with the code), or its
   * campaign was canceled before it was made (`canceled`). The recipient loses the claimed id; clears the mark.
   * False when `index` was not in flight or the recipient was no longer queued.
   */
  unsent(id: string, index: number, change: { readonly status: 'failed' | 'canceled'; readonly at: number; readonly error?: string }): Promise<boolean>;
  /** A later status of a recipient; false when it was no step forward (or no such recipient, or another message's). */
  update(id: string, index: number, change: RecipientChange): Promise<boolean>;
  /** Sets the first click's time of the recipient with number `to` (E.164); false when set already or unknown. */
  clicked(id: string, to: string, at: number): Promise<boolean>;
  /**
   * Marks every recipient from the cursor on canceled (those never claimed; a claimed one keeps its status) and
   * moves the cursor to the end; answers how many. Called after the campaign left `running`, so no claim races it.
   */
  cancelRest(id: string, at: number): Promise<number>;
  /** Only one process runs a campaign: takes or renews the lease for `owner`; false when another holds it. */
  lease(id: string, owner: string, ttlMs: number): Promise<boolean>;
  release(id: string, owner: string): Promise<void>;
}
