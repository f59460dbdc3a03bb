/**
 * Delivery receipts as an SMSC sends them (SMPP 3.4 section 2.11 and Appendix B): a deliver_sm from the
 * destination back to the originator, esm_class 0x04 (final) or 0x20 (intermediate), the Appendix B text in
 * short_message, and the TLVs receipted_message_id, message_state and network_error_code.
 */
import { formatReceiptText } from '../../drivers/codec/index.ts';
import type { Behaviour, ReceiptOutcome } from './behaviour.ts';
import { formatMessageId } from './message-ids.ts';
import { pickWeighted } from './random.ts';
import { ESM_CLASS, MESSAGE_STATE_BY_STAT, TLV_TAG, cstringValue, type MessagePduFields, type ReceiptStat } from '../../drivers/smpp-protocol/index.ts';

/** What a receipt needs to know of the part it reports on. */
export interface ReceiptSubject {
  readonly idNumber: number;
  /** The id as submit_sm_resp gave it. */
  readonly messageId: string;
  readonly from: string;
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly to: string;
  readonly destTon: number;
  readonly destNpi: number;
  readonly registeredDelivery: number;
  /** The part's text (its first 20 characters go into the receipt). */
  readonly text: string;
  readonly submittedAt: number;
}

const DELIVERED: ReceiptOutcome = { stat: 'DELIVRD', weight: 1, err: 0 };

/** The outcome for a destination: prefixed outcomes that match it win; otherwise the unprefixed ones. */
export function chooseOutcome(outcomes: readonly ReceiptOutcome[], destination: string, random: () => number): ReceiptOutcome {
  const to = destination.startsWith('+') ? destination.slice(1) : destination;
  const matching = outcomes.filter((o) => o.prefix !== undefined && to.startsWith(o.prefix.replace(/^\+/, '')));
  const pool = matching.length > 0 ? matching : outcomes.filter((o) => o.prefix === undefined);
  return pickWeighted(pool, random) ?? DELIVERED;
}

/** Whether registered_delivery (SMPP 3.4 section 5.2.17, bits 1-0) asks for a final receipt with this outcome. */
export function wantsFinalReceipt(registeredDelivery: number, stat: ReceiptStat): boolean {
  switch (registeredDelivery & 0x03) {
    case 1:
      return true;
    case 2:
      return stat !== 'DELIVRD';
    case 3:
      // Reserved in 3.4, "success only" in 5.0.
      return stat === 'DELIVRD';
    default:
      return false;
  }
}

/** Bit 4 of registered_delivery: intermediate notification requested. */
export function wantsIntermediate(registeredDelivery: number): boolean {
  return (registeredDelivery & 0x10) !== 0;
}

/** Receipt text keeps to the characters that read the same in ASCII and in the GSM default alphabet. */
function receiptSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9 !"#%&'()*+,\-./:;<=>?]/gu, '.');
}

/** The first `n` code points of a text, without splitting a surrogate pair. */
function firstCodePoints(text: string, n: number): string {
  let end = 0;
  for (let count = 0; count < n && end < text.length; count++) {
    const unit = text.charCodeAt(end);
    end += unit >= 0xd800 && unit <= 0xdbff && end + 1 < text.length ? 2 : 1;
  }
  return text.slice(0, end);
}

/** TLV values that repeat on every receipt, built once. */
const MESSAGE_STATE_VALUES = new Map<number, Uint8Array>();
const NETWORK_ERROR_VALUES = new Map<number, Uint8Array>();

function messageStateValue(state: number): Uint8Array {
  let value = MESSAGE_STATE_VALUES.get(state);
  if (value === undefined) {
    value = Uint8Array.of(state);
    MESSAGE_STATE_VALUES.set(state, value);
  }
  return value;
}

/** network_error_code, SMPP 3.4 section 5.3.2.31: network type 3 (GSM), then the two-octet error code. */
function networkErrorValue(err: number): Uint8Array {
  let value = NETWORK_ERROR_VALUES.get(err);
  if (value === undefined) {
    value = Uint8Array.of(3, err >> 8, err & 0xff);
    NETWORK_ERROR_VALUES.set(err, value);
  }
  return value;
}

/** The deliver_sm of one receipt. */
export function receiptFields(subject: ReceiptSubject, outcome: ReceiptOutcome, intermediate: boolean, behaviour: Behaviour, now: number): MessagePduFields {
  const stat: ReceiptStat = intermediate ? 'ENROUTE' : outcome.stat;
  const err = intermediate ? 0 : (outcome.err ?? 0);
  const textFormat = behaviour.receipts.textIdFormat === 'same' ? behaviour.messageIds.format : behaviour.receipts.textIdFormat;
  const textId =
    behaviour.receipts.textIdFormat === 'same' && behaviour.receipts.textIdWidth === 0
      ? subject.messageId
      : formatMessageId(subject.idNumber, textFormat, behaviour.receipts.textIdWidth);
  const text = formatReceiptText({
    id: textId,
    sub: 1,
    dlvrd: stat === 'DELIVRD' ? 1 : 0,
    submitDate: new Date(subject.submittedAt),
    doneDate: new Date(now),
    stat,
    err,
    text: receiptSafe(firstCodePoints(subject.text, 20)),
  });
  return {
    serviceType: '',
    sourceTon: subject.destTon,
    sourceNpi: subject.destNpi,
    sourceAddr: subject.to,
    destTon: subject.sourceTon,
    destNpi: subject.sourceNpi,
    destinationAddr: subject.from,
    esmClass: intermediate ? ESM_CLASS.intermediateNotification : ESM_CLASS.deliveryReceipt,
    protocolId: 0,
    priorityFlag: 0,
    registeredDelivery: 0,
    dataCoding: 0,
    shortMessage: Buffer.from(text, 'latin1'),
    tlvs: [
      { tag: TLV_TAG.receipted_message_id, value: cstringValue(subject.messageId) },
      { tag: TLV_TAG.message_state, value: messageStateValue(MESSAGE_STATE_BY_STAT[stat]) },
      { tag: TLV_TAG.network_error_code, value: networkErrorValue(err) },
    ],
  };
}
