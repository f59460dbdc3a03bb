/**
 * What the gateway tells the world: every state change of a message (and of its parts), and inbound messages.
 * Records carry a `type` and a `version` so consumers (webhooks, usage, billing, analytics) can evolve apart.
 */
import { isoTime } from '../../common/index.ts';
import type { InboundMessage } from '../../drivers/transport/index.ts';
import { messagePrice } from '../messages/message-price.ts';
import type { MessageSnapshot } from '../messages/message-record.ts';
import type { MessageStatus, PartStatus } from '../messages/message-status.ts';
import type { CampaignStamp, CampaignState, RecipientStatus } from '../ports/campaign-store.ts';
import type { SuppressionReason, SuppressionSource } from '../ports/suppression-store.ts';

export interface PartView {
  readonly seq: number;
  readonly status: PartStatus;
  readonly connector?: string;
  readonly smscMessageId?: string;
  readonly raw?: Readonly<Record<string, string | number>>;
  readonly error?: { readonly code: string; readonly message: string };
  readonly submittedAt?: string;
  readonly doneAt?: string;
  readonly carrierDoneAt?: string;
}

export interface MessageStatusEvent {
  readonly type: 'message.status';
  readonly version: 1;
  readonly id: string;
  readonly messageId: string;
  readonly accountId: string;
  readonly status: MessageStatus;
  /** ISO time of the change. */
  readonly at: string;
  readonly to: string;
  readonly clientRef?: string;
  readonly callbackUrl?: string;
  readonly parts: readonly PartView[];
  readonly segments: number;
  /** The destination carrier the message was routed for (usage by carrier). */
  readonly carrier?: string;
  /** What the parts the carrier accepted cost so far, when the route has a price (see message-price.ts). */
  readonly price?: number;
  /** ISO 4217 currency of `price`, when the route names one. */
  readonly currency?: string;
}

export interface InboundEvent {
  readonly type: 'message.inbound';
  readonly version: 1;
  readonly id: string;
  readonly accountId: string | null;
  readonly connector: string;
  readonly from: string;
  readonly to: string;
  /** Empty for a binary message: its octets are in `binary`. */
  readonly text: string;
  /** The data coding: `gsm7`, `ucs2` or `binary` (8-bit data). */
  readonly encoding: string;
  /** The octets of a binary message, base64 (RFC 4648, padded). */
  readonly binary?: string;
  readonly parts: number;
  readonly complete: boolean;
  readonly receivedAt: string;
}

/** A part's own transition (submitted, delivered, failed, ...), beside the message's roll-up. */
export interface PartStatusEvent {
  readonly type: 'message.part';
  readonly version: 1;
  /** `<messageId>:<seq>:<status>`: the same transition always has the same id, so consumers can drop replays. */
  readonly id: string;
  readonly messageId: string;
  readonly seq: number;
  readonly status: PartStatus;
  readonly at: string;
  readonly connector?: string;
  readonly smscMessageId?: string;
  readonly raw?: Readonly<Record<string, string | number>>;
  readonly error?: { readonly code: string; readonly message: string };
}

/** A delivery receipt as a driver received it, before it is matched to a part. */
export interface ReceiptRecord {
  readonly type: 'receipt.raw';
  readonly version: 1;
  /** `<connector>:<smscMessageId>:<state>`. */
  readonly id: string;
  readonly connector: string;
  readonly smscMessageId: string;
  readonly state: string;
  readonly final: boolean;
  readonly raw: Readonly<Record<string, string | number>>;
  readonly submittedAt?: string;
  readonly doneAt?: string;
  readonly receivedAt: string;
}

/** A receipt no part claimed within the hold time, parked with the reason. */
export interface UnmatchedReceiptRecord {
  readonly type: 'receipt.unmatched';
  readonly version: 1;
  readonly id: string;
  readonly reason: 'no-matching-part' | 'unreadable';
  readonly parkedAt: string;
  readonly receipt?: ReceiptRecord;
  /** The record as read, when it could not be read as a receipt. */
  readonly payload?: string;
}

/**
 * A change of an account's suppression list: a number suppressed (an opt-out keyword, an operator, the API, an
 * import) or lifted (an opt-in keyword, ...). The consent record as it happens; never an API key (the source names
 * a key by its fingerprint only).
 */
export interface SuppressionEvent {
  readonly type: 'suppression.changed';
  readonly version: 1;
  readonly id: string;
  readonly accountId: string;
  readonly action: 'suppressed' | 'lifted';
  /** E.164. */
  readonly number: string;
  /** The sender the entry blocks; absent for the whole account. */
  readonly sender?: string;
  /** The entry's reason (for a lift, the reason of the entry lifted). */
  readonly reason: SuppressionReason;
  /** Who made this change. */
  readonly source: SuppressionSource;
  /** ISO time of the change. */
  readonly at: string;
  /** For a lift: when the lifted entry was made. */
  readonly since?: string;
}

/**
 * A step of a verification (one-time code): its code was sent, a check approved it or failed, it expired, its
 * attempts ran out, or it was canceled. Never the code.
 */
export interface VerificationEvent {
  readonly type: 'verification.status';
  readonly version: 1;
  /** `<verificationId>:<status>:<sends>:<attempts>`: the same step always has the same id, so consumers drop replays. */
  readonly id: string;
  readonly verificationId: string;
  readonly accountId: string;
  /** E.164. */
  readonly to: string;
  readonly status: 'sent' | 'approved' | 'failed' | 'expired' | 'max_attempts_reached' | 'canceled';
  /** The verification's state after this step. */
  readonly verification: 'pending' | 'approved' | 'expired' | 'max_attempts_reached' | 'canceled';
  readonly at: string;
  readonly attemptsLeft: number;
  readonly sends: number;
  readonly expiresAt: string;
  /** The message that carried the code (`sent`). */
  readonly messageId?: string;
  readonly clientRef?: string;
}

/**
 * A click on a short link (`/l/{code}`): the recipient's first click, a repeat, or a bot's request (a link
 * previewer or a HEAD request), with the link's counts after it.
 */
export interface LinkClickedEvent {
  readonly type: 'link.clicked';
  readonly version: 1;
  /** `<code>:<kind>:<count>`: one click always has the same id, so consumers drop replays. */
  readonly id: string;
  readonly code: string;
  readonly accountId: string;
  readonly kind: 'first' | 'repeat' | 'bot';
  readonly at: string;
  readonly target: string;
  readonly clicks: number;
  readonly botClicks: number;
  readonly firstClickAt?: string;
  readonly expiresAt: string;
  readonly messageId?: string;
  readonly campaignId?: string;
  /** E.164. */
  readonly recipient?: string;
}

/**
 * A campaign's state change (created as a draft, scheduled or running; started, paused, resumed, completed,
 * canceled), with its recipients' counts per status and the times of its changes as they stood then.
 */
export interface CampaignStatusEvent {
  readonly type: 'campaign.status';
  readonly version: 1;
  /** `<campaignId>:<revision>`: one state change always has the same id, so consumers drop replays. */
  readonly id: string;
  readonly campaignId: string;
  readonly accountId: string;
  readonly name?: string;
  readonly tag: string;
  /** The state the campaign entered. */
  readonly state: CampaignState;
  /** ISO time of the change. */
  readonly at: string;
  /** State changes so far, this one included (0: created as a draft). */
  readonly revision: number;
  readonly recipients: number;
  readonly segments: number;
  /** Recipients handed on to the gateway (or refused at submit) so far. */
  readonly handedOn: number;
  readonly counts: Readonly<Record<RecipientStatus | 'clicked', number>>;
  readonly createdAt: string;
  /** The latest time of each kind of change. */
  readonly times: Partial<Record<CampaignStamp, string>>;
}

export type GatewayEvent = MessageStatusEvent | PartStatusEvent | InboundEvent | SuppressionEvent | VerificationEvent | LinkClickedEvent | CampaignStatusEvent;

/**
 * The value event filters see beside the type: a message's, part's or verification's status, a suppression
 * change's action, a click's kind, a campaign's state.
 */
export function eventStatus(event: GatewayEvent): string | undefined {
  if (event.type === 'message.inbound') return undefined;
  if (event.type === 'link.clicked') return event.kind;
  if (event.type === 'campaign.status') return event.state;
  return event.type === 'suppression.changed' ? event.action : event.status;
}

export function partViews(record: MessageSnapshot): PartView[] {
  return record.parts.map((part) => ({
    seq: part.seq,
    status: part.status,
    ...(part.connectorId === undefined ? {} : { connector: part.connectorId }),
    ...(part.carrierMessageId === undefined ? {} : { smscMessageId: part.carrierMessageId }),
    ...(part.raw === undefined ? {} : { raw: part.raw as Readonly<Record<string, string | number>> }),
    ...(part.error === undefined ? {} : { error: part.error }),
    ...(part.submittedAt === undefined ? {} : { submittedAt: isoTime(part.submittedAt) }),
    ...(part.doneAt === undefined ? {} : { doneAt: isoTime(part.doneAt) }),
    ...(part.carrierDoneAt === undefined ? {} : { carrierDoneAt: isoTime(part.carrierDoneAt) }),
  }));
}

/** The inbound event of a received message; a binary message's octets go as base64 in `binary`. */
export function inboundEvent(message: InboundMessage, id: string, accountId: string | null): InboundEvent {
  return {
    type: 'message.inbound',
    version: 1,
    id,
    accountId,
    connector: message.connectorId,
    from: message.from,
    to: message.to,
    text: message.text,
    encoding: message.encoding,
    ...(message.binary === undefined ? {} : { binary: Buffer.from(message.binary).toString('base64') }),
    parts: message.parts,
    complete: message.complete,
    receivedAt: message.receivedAt.toISOString(),
  };
}

export function statusEvent(record: MessageSnapshot, at: number): MessageStatusEvent {
  const envelope = record.envelope;
  return {
    type: 'message.status',
    version: 1,
    id: `${envelope.id}:${record.status}`,
    messageId: envelope.id,
    accountId: envelope.accountId,
    status: record.status,
    at: isoTime(at),
    to: envelope.to,
    ...(envelope.clientRef === undefined ? {} : { clientRef: envelope.clientRef }),
    ...(envelope.callbackUrl === undefined ? {} : { callbackUrl: envelope.callbackUrl }),
    parts: partViews(record),
    segments: record.parts.length,
    carrier: envelope.carrier,
    ...eventPrice(record),
  };
}

/** The price once some part reached the carrier (before that there is nothing to bill). */
function eventPrice(record: MessageSnapshot): { price?: number; currency?: string } {
  const priced = messagePrice(record);
  if (priced === undefined || priced.segments === 0) return {};
  return { price: priced.price, ...(priced.currency === undefined ? {} : { currency: priced.currency }) };
}

/** A part's transition as an event; `update` is the part as the change left it. */
export function partEvent(messageId: string, part: PartView, at: number): PartStatusEvent {
  return {
    type: 'message.part',
    version: 1,
    id: `${messageId}:${part.seq}:${part.status}`,
    messageId,
    seq: part.seq,
    status: part.status,
    at: isoTime(at),
    ...(part.connector === undefined ? {} : { connector: part.connector }),
    ...(part.smscMessageId === undefined ? {} : { smscMessageId: part.smscMessageId }),
    ...(part.raw === undefined ? {} : { raw: part.raw }),
    ...(part.error === undefined ? {} : { error: part.error }),
  };
}
