import type { EncodingRequest } from '../../drivers/codec/index.ts';
import type { Lane } from '../messages/message-record.ts';
import type { SendWindowConfig } from '../windows/send-windows.ts';

/** What an upstream application asks the gateway to send (already schema-checked by the API). */
export interface SubmitRequest {
  readonly to: string;
  readonly from?: string;
  readonly text?: string;
  /** Binary payload in hex, with an optional caller-given UDH in hex. */
  readonly binary?: string;
  readonly udh?: string;
  readonly encoding?: Exclude<EncodingRequest, 'binary'>;
  readonly smart?: boolean;
  readonly tag?: string;
  readonly callbackUrl?: string;
  /** Epoch ms. */
  readonly scheduleAt?: number;
  readonly validitySeconds?: number;
  readonly priority?: Lane;
  readonly clientRef?: string;
  readonly maxParts?: number;
  /** Replace the text's http(s) URLs by short links of this message before encoding (see short-links/). */
  readonly shortenUrls?: boolean;
}

/**
 * What the gateway's own services (keyword replies, verification, campaigns) may ask of a submit beyond a client's
 * request; clients cannot set these.
 */
export interface ServiceSubmit {
  /** Send through this connector (a reply goes back the way its inbound came) rather than the route's first choice. */
  readonly connector?: string;
  /** Skip the suppression check: an opt-out's confirmation goes to the number it has just suppressed. */
  readonly ignoreSuppression?: boolean;
  /**
   * The text to store in place of `text`, which carries a secret (a one-time code): the stored parts are this mask,
   * the real ones are sealed and only the connector worker opens them. It must split into parts as `text` does.
   */
  readonly maskedText?: string;
  /** Send at any hour: the account's send window does not hold this message (a one-time code expires in minutes). */
  readonly ignoreSendWindow?: boolean;
  /**
   * The new message's id, decided by the service before the submit (a campaign stores it first, so it can later
   * tell whether the submit was stored). Unique, like the ids the gateway makes; an Idempotency-Key replay answers
   * the first message whatever this says.
   */
  readonly messageId?: string;
}

/** The account fields the accept path needs. */
export interface AcceptAccount {
  readonly id: string;
  readonly defaultCountry?: string;
  readonly requireMobile?: boolean;
  /** The account's cap on parts per message (the request may lower it, never raise it). */
  readonly maxParts?: number;
  /** Allow national language shift tables for 7-bit texts. */
  readonly shiftTables?: boolean;
  /** The originator of a submit that gives no `from` (sender rules still apply to it). */
  readonly defaultSender?: string;
  /** Allowed sending hours in the recipient's time zone; none: any hour. */
  readonly sendWindow?: SendWindowConfig;
}

export interface AcceptedMessage {
  readonly id: string;
  readonly status: string;
  readonly to: string;
  readonly carrier: string;
  readonly carrierSource: string;
  readonly route: string;
  readonly connector: string;
  readonly encoding: string;
  readonly parts: number;
  readonly createdAt: string;
  /** When the message may go at the earliest (ISO), when the send window was closed at its send time. */
  readonly notBefore?: string;
  /** The originator the first connector submits with, after sender rules (absent: the connector's own). */
  readonly from?: string;
  /** Present when a sender rule rewrote the originator for the first connector. */
  readonly senderRewritten?: { readonly rule: string; readonly requested: string | null };
  /** True when an Idempotency-Key matched an earlier request: this is the first request's answer. */
  readonly duplicate: boolean;
}
