import { fromSmppFields, parseReceiptText, type InboundPart, type ReceiptText } from '../codec/index.ts';
import { addressFromSmpp } from './addressing.ts';
import { readMessagePdu } from './message-pdu.ts';

/** esm_class bits 2-5, SMPP 3.4 section 5.2.12: the message type of a deliver_sm / data_sm. */
const ESM_TYPE_MASK = 0x3c;
const ESM_DELIVERY_RECEIPT = 0x04;
const ESM_INTERMEDIATE_NOTIFICATION = 0x20;

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
 * Turns a deliver_sm or data_sm into a receipt or an MO part: fields read by `readMessagePdu`, message
 * octets decoded by our codec. Throws SMPP_PROTOCOL when the PDU cannot be read.
 */
export function decodeDelivery(frame: Buffer): DecodedDelivery {
  const pdu = readMessagePdu(frame);
  const type = pdu.esmClass & ESM_TYPE_MASK;
  if (type === ESM_DELIVERY_RECEIPT || type === ESM_INTERMEDIATE_NOTIFICATION) {
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
      intermediate: type === ESM_INTERMEDIATE_NOTIFICATION,
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
    const octets = pdu.messagePayload ?? pdu.shortMessage;
    return { kind: 'message', part: { originator, destination, encoding: 'binary', text: '', binary: octets } };
  }
  return {
    kind: 'message',
    part: {
      originator,
      destination,
      encoding: decoded.encoding,
      text: decoded.text,
      ...(decoded.binary === undefined ? {} : { binary: decoded.binary }),
      ...(decoded.concat === undefined ? {} : { concat: decoded.concat }),
    },
  };
}
