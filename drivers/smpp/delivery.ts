import { fromSmppFields, parseReceiptText, type InboundPart, type ReceiptText } from '../codec/index.ts';
import { addressFromSmpp } from './addressing.ts';
import { smppError } from './errors.ts';
import { rawMessageFields } from './raw-message.ts';
import { Pdu } from './smpp-lib.ts';

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
 * Turns a deliver_sm or data_sm into a receipt or an MO part. The smpp package decodes the fields;
 * the message octets are read raw (see raw-message.ts) and decoded by our codec. Throws SMPP_PROTOCOL
 * when the PDU cannot be read.
 */
export function decodeDelivery(frame: Buffer): DecodedDelivery {
  const pdu = Pdu.fromBuffer(frame);
  if (pdu === false) throw smppError('SMPP_PROTOCOL', 'truncated deliver_sm', { field: 'command_length' });
  const raw = rawMessageFields(frame);
  const esmClass = numberField(pdu.esm_class);
  const type = esmClass & ESM_TYPE_MASK;
  if (type === ESM_DELIVERY_RECEIPT || type === ESM_INTERMEDIATE_NOTIFICATION) {
    const octets = raw.shortMessage.length > 0 ? raw.shortMessage : (raw.messagePayload ?? new Uint8Array(0));
    const text = Buffer.from(octets.buffer, octets.byteOffset, octets.length).toString('latin1');
    let parsed: ReceiptText | undefined;
    try {
      parsed = parseReceiptText(text);
    } catch {
      parsed = undefined; // the TLVs may still say everything
    }
    const receipted = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : undefined;
    const state = typeof pdu.message_state === 'number' ? pdu.message_state : undefined;
    const network = Buffer.isBuffer(pdu.network_error_code) ? pdu.network_error_code.toString('hex') : undefined;
    return {
      kind: 'receipt',
      intermediate: type === ESM_INTERMEDIATE_NOTIFICATION,
      ...(receipted === undefined || receipted === '' ? {} : { receiptedMessageId: receipted }),
      ...(state === undefined ? {} : { messageState: state }),
      ...(network === undefined ? {} : { networkErrorCode: network }),
      text,
      ...(parsed === undefined ? {} : { parsed }),
    };
  }
  const sarRef = pdu.sar_msg_ref_num;
  const sarTotal = pdu.sar_total_segments;
  const sarSeq = pdu.sar_segment_seqnum;
  const sar =
    typeof sarRef === 'number' && typeof sarTotal === 'number' && typeof sarSeq === 'number'
      ? { msgRefNum: sarRef, totalSegments: sarTotal, segmentSeqnum: sarSeq }
      : undefined;
  const originator = addressFromSmpp(numberField(pdu.source_addr_ton), stringField(pdu.source_addr));
  const destination = addressFromSmpp(numberField(pdu.dest_addr_ton), stringField(pdu.destination_addr));
  const dataCoding = numberField(pdu.data_coding);
  let decoded: ReturnType<typeof fromSmppFields>;
  try {
    decoded = fromSmppFields({
      esmClass,
      dataCoding,
      shortMessage: raw.shortMessage,
      ...(raw.messagePayload === undefined ? {} : { messagePayload: raw.messagePayload }),
      ...(sar === undefined ? {} : { sar }),
    });
  } catch {
    // Octets our codec cannot read are still the sender's message: pass them on as binary, never drop them.
    const octets = raw.messagePayload ?? raw.shortMessage;
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

function numberField(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function stringField(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
