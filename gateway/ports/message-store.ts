/**
 * Where messages live. The accept path writes a record and its queue entry (or its schedule) in one atomic
 * step, so nothing acknowledged to a client can be lost between the two. Adapters: memory (the embedded
 * default) and Redis. The port exposes no connection types; adapters own their clients.
 */
import type { Lane, MessageChange, MessageRecord, MessageSnapshot } from '../messages/message-record.ts';
import type { MessageStatus } from '../messages/message-status.ts';

/** Where an accepted message goes next. */
export type Placement =
  | { readonly kind: 'queue'; readonly connectorId: string; readonly lane: Lane; readonly attempt: number }
  | { readonly kind: 'schedule'; readonly at: number; readonly connectorId: string; readonly lane: Lane; readonly attempt: number };

export interface IdempotencyClaim {
  readonly accountId: string;
  readonly key: string;
  readonly ttlMs: number;
  /** Hash of the canonical request, stored with the key: a reuse with another request is a conflict. */
  readonly fingerprint: string;
}

export type InsertResult =
  | { readonly inserted: true; readonly id: string }
  /**
   * The idempotency key was used before: nothing was written; `id` is the first message's, and `conflict` tells
   * that the key was stored with another fingerprint (a key stored without one never conflicts).
   */
  | { readonly inserted: false; readonly id: string; readonly conflict: boolean };

/** A claim on an idempotency key alone (a batch): taken now, or held before with the same or another fingerprint. */
export interface ClaimResult {
  readonly claimed: boolean;
  readonly conflict: boolean;
}

/** Which part of which message a carrier's message id stands for. */
export interface Correlation {
  readonly messageId: string;
  readonly seq: number;
  /** When the part was submitted (epoch ms), for the submit-to-receipt latency. */
  readonly submittedAt?: number;
}

export interface MessageQuery {
  readonly accountId: string;
  readonly clientRef?: string;
  readonly to?: string;
  readonly status?: MessageStatus;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
  readonly limit: number;
  readonly cursor?: string;
}

export interface MessagePage {
  readonly items: readonly MessageRecord[];
  readonly nextCursor?: string;
}

export interface AppliedChange {
  readonly id: string;
  readonly previousStatus: MessageStatus;
  /** Sequence numbers of the parts whose status this change moved (events are emitted for these). */
  readonly movedParts: readonly number[];
  readonly status: MessageStatus;
  /**
   * The message after the change, without its timeline: always there when the status moved (events need it),
   * optional otherwise. Read the whole record with `get`.
   */
  readonly record?: MessageSnapshot;
}

export interface MessageStore {
  insert(record: MessageRecord, placement: Placement, idempotency?: IdempotencyClaim): Promise<InsertResult>;
  /**
   * Takes an idempotency key for a request that is not one message (a batch), in the same key space as
   * `insert`'s claims: the same key with another fingerprint is a conflict, whichever took it first.
   */
  claimIdempotency(claim: IdempotencyClaim): Promise<ClaimResult>;
  get(id: string): Promise<MessageRecord | undefined>;
  /** The record without its timeline: what a sender needs, without reading and parsing the history. */
  snapshot(id: string): Promise<MessageSnapshot | undefined>;
  /**
   * Applies part updates and the status change atomically; with `rollUp` the new message status follows from
   * all parts as stored after this change (so concurrent receipts for different parts cannot lose a roll-up).
   * A final message status never changes again. Resolves to the status before and after the change (and the
   * record when the status moved), or undefined for an unknown id.
   */
  apply(id: string, change: MessageChange): Promise<AppliedChange | undefined>;
  correlate(connectorId: string, carrierMessageId: string, correlation: Correlation, ttlMs: number): Promise<void>;
  findCorrelation(connectorId: string, carrierMessageId: string): Promise<Correlation | undefined>;
  /**
   * Up to `limit` ids of messages whose receipt wait (`MessageChange.watchUntil`) ended by `now`. Each is leased
   * for `leaseMs` (its wait pushed back), so one process resolves it and a crashed one's claim comes due again;
   * a final message status ends the wait for good.
   */
  claimDueWatches(now: number, limit: number, leaseMs: number): Promise<readonly string[]>;
  /** Newest first, filtered, paged with an opaque cursor. */
  list(query: MessageQuery): Promise<MessagePage>;
  close(): Promise<void>;
}
