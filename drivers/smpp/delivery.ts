import {
  MESSAGE_STATE_TO_RECEIPT_STATE,
  fromSmppFields,
  isFinalState,
  messageIdCandidates,
  normalizeMessageId,
  parseReceiptText,
  type InboundPart,
  type ReassembledMessage,
  type ReceiptText,
} from '../codec/index.ts';
import type { InboundMessage, Receipt } from '../transport/index.ts';
import { ESM_CLASS, decodeMessageBody } from '../smpp-protocol/index.ts';
import { addressFromSmpp } from './addressing.ts';
import { protocolError } from './errors.ts';

export type DecodedDelivery =
  | {
      readonly kind: 'receipt';
      readonly intermediate: boolean;
      readonly receiptedMessageId?: string;
      readonly messageState?: number;
      /** network_error_code TLV (section 5.3.2.31): network type, then the 2-octet error, as hex. */
      readonly networkErrorCode?: string;
      readonly text: string;
      readonly parsed?: ReceiptText;
    }
  | { readonly kind: 'message'; readonly part: InboundPart };

/**
 * Turns a deliver_sm or data_sm into a receipt or an MO part: fields read by the protocol's `decodeMessageBody`,
 * message octets decoded by our codec. Throws SMPP_PROTOCOL when a field cannot be read; what an SMSC would refuse
 * from an ESME (a long address, a partial SAR set) is taken as it comes.
 */
export function decodeDelivery(frame: Buffer): DecodedDelivery {
  const { body: pdu, problems } = decodeMessageBody(frame);
  if (pdu === undefined) throw protocolError(problems, { commandId: frame.readUInt32BE(4) });
  const type = pdu.esmClass & ESM_CLASS.messageTypeMask;
  if (type === ESM_CLASS.deliveryReceipt || type === ESM_CLASS.intermediateNotification) {
    const octets = pdu.shortMessage.length > 0 ? pdu.shortMessage : (pdu.messagePayload ?? pdu.shortMessage);
    const text = Buffer.from(octets.buffer, octets.byteOffset, octets.length).toString('latin1');
    let parsed: ReceiptText | undefined;
    try {
      parsed = parseReceiptText(text);
    } catch {
      parsed = undefined; // the TLVs may still say everything
    }
    const network = pdu.networkErrorCode;
    return {
      kind: 'receipt',
      intermediate: type === ESM_CLASS.intermediateNotification,
      ...(pdu.receiptedMessageId === undefined || pdu.receiptedMessageId === '' ? {} : { receiptedMessageId: pdu.receiptedMessageId }),
      ...(pdu.messageState === undefined ? {} : { messageState: pdu.messageState }),
      ...(network === undefined ? {} : { networkErrorCode: Buffer.from(network.buffer, network.byteOffset, network.length).toString('hex') }),
      text,
      ...(parsed === undefined ? {} : { parsed }),
    };
  }
  const originator = addressFromSmpp(pdu.sourceTon, pdu.sourceAddr);
  const destination = addressFromSmpp(pdu.destTon, pdu.destinationAddr);
  let decoded: ReturnType<typeof fromSmppFields>;
  try {
    decoded = fromSmppFields({
      esmClass: pdu.esmClass,
      dataCoding: pdu.dataCoding,
      shortMessage: pdu.shortMessage,
      ...(pdu.messagePayload === undefined ? {} : { messagePayload: pdu.messagePayload }),
      ...(pdu.sar === undefined ? {} : { sar: pdu.sar }),
    });
  } catch {
    // Octets our codec cannot read are still the sender's message: pass them on as binary, never drop them.
    // A copy: the PDU's octets are a view of a socket chunk, which a part held for reassembly must not pin.
    const octets = Uint8Array.from(pdu.messagePayload ?? pdu.shortMessage);
    return { kind: 'message', part: { originator, destination, encoding: 'binary', text: '', binary: octets } };
  }
  return {
    kind: 'message',
    part: {
      originator,
      destination,
      encoding: decoded.encoding,
      text: decoded.text,
      ...(decoded.binary === undefined ? {} : { binary: Uint8Array.from(decoded.binary) }),
      ...(decoded.concat === undefined ? {} : { concat: decoded.concat }),
    },
  };
}

export type DecodedReceipt = Extract<DecodedDelivery, { kind: 'receipt' }>;

/**
 * The Receipt of a decoded receipt PDU, or undefined when it names no message. The TLVs win over the text
 * (message_state is the SMSC's own value); the id is matched against `knownIds` (ids submit_sm_resp gave) in
 * every spelling `messageIdCandidates` allows, so hex and decimal forms of one id meet.
 */
export function receiptOf(decoded: DecodedReceipt, connectorId: string, knownIds: { has(id: string): boolean }, now: Date): Receipt | undefined {
  const id = decoded.receiptedMessageId ?? decoded.parsed?.id;
  if (id === undefined || id.trim() === '') return undefined;
  const normalized = normalizeMessageId(id);
  const carrierMessageId = knownIds.has(normalized)
    ? normalized
    : (messageIdCandidates(id).find((candidate) => knownIds.has(candidate)) ?? normalized);
  const tlvState = decoded.messageState === undefined ? undefined : MESSAGE_STATE_TO_RECEIPT_STATE[decoded.messageState];
  const parsed = decoded.parsed;
  const state = tlvState ?? parsed?.state ?? 'unknown';
  return {
    connectorId,
    carrierMessageId,
    state,
    final: !decoded.intermediate && isFinalState(state),
    raw: {
      ...(parsed?.stat === undefined ? {} : { stat: parsed.stat }),
      ...(parsed?.err === undefined ? {} : { err: parsed.err }),
      ...(decoded.messageState === undefined ? {} : { messageState: decoded.messageState }),
      ...(decoded.networkErrorCode === undefined ? {} : { networkErrorCode: decoded.networkErrorCode }),
      text: decoded.text,
    },
    ...(parsed?.submitDate === undefined ? {} : { submittedAt: parsed.submitDate }),
    ...(parsed?.doneDate === undefined ? {} : { doneAt: parsed.doneDate }),
    receivedAt: now,
  };
}

/** The InboundMessage of a reassembled (or single-part) MO message. */
export function inboundMessage(connectorId: string, message: ReassembledMessage, now: Date): InboundMessage {
  return {
    connectorId,
    from: message.originator,
    to: message.destination,
    text: message.text,
    encoding: message.encoding,
    ...(message.binary === undefined ? {} : { binary: message.binary }),
    parts: message.total,
    complete: message.complete,
    receivedAt: now,
  };
}
