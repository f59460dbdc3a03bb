/**
 * Delivery receipts as an SMSC sends them (SMPP 3.4 section 2.11 and Appendix B): a deliver_sm from the
 * destination back to the originator, esm_class 0x04 (final) or 0x20 (intermediate), the Appendix B text in
 * short_message, and the TLVs receipted_message_id, message_state and network_error_code.
 */
import { formatReceiptText } from '../../drivers/codec/index.ts';
import type { Behaviour, ReceiptOutcome } from './behaviour.ts';
import { formatMessageId } from './message-ids.ts';
import { pickWeighted } from './random.ts';
import { ESM_CLASS, MESSAGE_STATE_BY_STAT, type ReceiptStat } from './smpp-constants.ts';

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
  return text.replace(/[^A-Za-z0-9 !"#%&'()*+,\-./:;<=>?]/g, '.');
}

/** deliver_sm fields (for the `smpp` package, octets as Buffer) of one receipt. */
export function receiptFields(subject: ReceiptSubject, outcome: ReceiptOutcome, intermediate: boolean, behaviour: Behaviour, now: number): Record<string, unknown> {
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
    text: receiptSafe([...subject.text].slice(0, 20).join('')),
  });
  const networkErrorCode = Buffer.alloc(3);
  // Network type 3 (GSM) then the error code, SMPP 3.4 section 5.3.2.31.
  networkErrorCode[0] = 3;
  networkErrorCode.writeUInt16BE(err, 1);
  return {
    service_type: '',
    source_addr_ton: subject.destTon,
    source_addr_npi: subject.destNpi,
    source_addr: subject.to,
    dest_addr_ton: subject.sourceTon,
    dest_addr_npi: subject.sourceNpi,
    destination_addr: subject.from,
    esm_class: intermediate ? ESM_CLASS.intermediateNotification : ESM_CLASS.deliveryReceipt,
    protocol_id: 0,
    priority_flag: 0,
    registered_delivery: 0,
    data_coding: 0,
    short_message: Buffer.from(text, 'latin1'),
    receipted_message_id: subject.messageId,
    message_state: MESSAGE_STATE_BY_STAT[stat],
    network_error_code: networkErrorCode,
  };
}
