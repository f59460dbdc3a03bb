/**
 * What the gateway keeps of a message: the decision taken at accept time (number, carrier, route), the encoded
 * parts exactly as they will be sent and billed, and the state of the message and of each part with the raw
 * carrier values beside it. Times are epoch milliseconds.
 */
import type { MessageStatus, PartStatus } from './message-status.ts';

/** Priority lanes: an OTP is never stuck behind a bulk backlog. */
export const LANES = ['high', 'normal', 'bulk'] as const;
export type Lane = (typeof LANES)[number];

/** Carrier values kept as received. */
export interface PartRaw {
  readonly stat?: string;
  readonly err?: string;
  readonly messageState?: number;
  readonly networkErrorCode?: string;
  readonly tpStatus?: number;
  readonly commandStatus?: number;
  readonly cmsError?: number;
  readonly cmeError?: number;
}

export interface PartState {
  readonly seq: number;
  readonly status: PartStatus;
  readonly connectorId?: string;
  readonly carrierMessageId?: string;
  readonly raw?: PartRaw;
  readonly error?: { readonly code: string; readonly message: string };
  /** When the gateway recorded the submit (gateway clock). */
  readonly submittedAt?: number;
  /** When the gateway learned the final state (gateway clock, so never before `submittedAt`). */
  readonly doneAt?: number;
  /** The carrier's own "done date" from the receipt (carrier clock, which may differ from the gateway's). */
  readonly carrierDoneAt?: number;
}

export interface TimelineEntry {
  readonly at: number;
  /**
   * A message status, `part:<status>` for a part's transition, `deferred`: the send window was closed, and the
   * message waits until `until`, or `clicked`: the recipient's first click on one of the message's short links
   * (`detail` is its code). Only a status entry changes the message status.
   */
  readonly event: MessageStatus | `part:${PartStatus}` | 'deferred' | 'clicked';
  readonly seq?: number;
  readonly connectorId?: string;
  readonly detail?: string;
  /** For `deferred`: when the send window opens (epoch ms). */
  readonly until?: number;
}

/** The parts as the codec produced them, in a JSON-safe form (hex octets). */
export interface StoredEncoding {
  readonly encoding: 'gsm7' | 'ucs2' | 'binary';
  readonly shiftTables: { readonly locking?: string; readonly single?: string };
  readonly characters: number;
  readonly remainingInLastPart: number;
  readonly udhBytes: number;
  readonly parts: readonly {
    readonly seq: number;
    readonly text: string;
    readonly payloadHex: string;
    readonly units: number;
    readonly udh: readonly { readonly iei: number; readonly dataHex: string }[];
    readonly concat?: { readonly ref: number; readonly total: number; readonly seq: number; readonly refSize: 8 | 16 };
  }[];
  /** The real parts, sealed (see part-seal.ts), when `parts` hold a masked text: the message carries a secret. */
  readonly sealed?: string;
}

/** Fixed at accept time; never changes afterwards. */
export interface MessageEnvelope {
  readonly id: string;
  readonly accountId: string;
  readonly to: string;
  readonly from: string | null;
  readonly carrier: string;
  readonly carrierSource: string;
  readonly ruleName: string;
  readonly routeId: string;
  /** Connectors in failover order, as the route decided them. */
  readonly connectors: readonly string[];
  /** The originator to use on each of `connectors` (after sender rules; null: the connector's own). */
  readonly senders?: readonly (string | null)[];
  /** The sender rule that rewrote the originator on the first connector, when one did (the 202 names it). */
  readonly senderRewrittenBy?: string;
  /** The route's per-segment price on each of `connectors` for the destination carrier (null: none configured). */
  readonly prices?: readonly (number | null)[];
  /** The route's currency (ISO 4217), when it has one. */
  readonly currency?: string;
  readonly lane: Lane;
  /** The account's send window does not hold this message (a one-time code from the verification service). */
  readonly anyHour?: boolean;
  readonly tag?: string;
  readonly clientRef?: string;
  readonly callbackUrl?: string;
  readonly receipt: boolean;
  readonly createdAt: number;
  readonly scheduleAt?: number;
  /** Unsent after this instant, the message expires. */
  readonly expiresAt?: number;
  readonly encoded: StoredEncoding;
}

export interface MessageRecord {
  readonly envelope: MessageEnvelope;
  readonly status: MessageStatus;
  readonly parts: readonly PartState[];
  readonly timeline: readonly TimelineEntry[];
}

/** A message as a status change leaves it, without its timeline (events and prices need no timeline). */
export type MessageSnapshot = Omit<MessageRecord, 'timeline'>;

/** Fields of one part to change; the others keep their stored values. */
export type PartUpdate = { readonly seq: number } & Partial<Omit<PartState, 'seq'>>;

/** A change to a message: part updates, then the message status they (or the caller) imply. */
export interface MessageChange {
  /** When the change happened (epoch ms); a status the roll-up derives is stamped with it. */
  readonly at: number;
  readonly parts?: readonly PartUpdate[];
  /** Set the message status; ignored when the message is already final. */
  readonly status?: MessageStatus;
  /** Let the store roll the parts up into the message status (atomically with the part updates). */
  readonly rollUp?: boolean;
  readonly timeline: readonly TimelineEntry[];
  /**
   * Carrier ids to correlate with parts, written in the same atomic step as the part updates: a receipt can
   * then never find its part before the part is recorded as submitted.
   */
  readonly correlations?: readonly PartCorrelation[];
  /**
   * The message waits for its parts' final receipts until then (epoch ms; a later time replaces an earlier one).
   * The wait ends by itself when the message reaches a final status; past it, the receipt timeout resolves the
   * parts still submitted (see `MessageStore.claimDueWatches`).
   */
  readonly watchUntil?: number;
}

export interface PartCorrelation {
  readonly connectorId: string;
  readonly carrierMessageId: string;
  readonly seq: number;
  readonly submittedAt: number;
  readonly ttlMs: number;
}
