/**
 * The bodies that carry a message, read in the field order of SMPP 3.4:
 *   submit_sm (4.4.1), deliver_sm (4.6.1)  service_type C-Octet String max 6 | source_addr_ton, source_addr_npi |
 *     source_addr max 21 | dest_addr_ton, dest_addr_npi | destination_addr max 21 | esm_class | protocol_id |
 *     priority_flag | schedule_delivery_time max 17 | validity_period max 17 | registered_delivery |
 *     replace_if_present_flag | data_coding | sm_default_msg_id | sm_length | short_message (sm_length octets, at
 *     most 254) | TLVs
 *   data_sm (4.7.1)  service_type max 6 | source_addr_ton, source_addr_npi | source_addr max 65 | dest_addr_ton,
 *     dest_addr_npi | destination_addr max 65 | esm_class | registered_delivery | data_coding | TLVs
 * TLVs (section 3.3 / 5.3.2): tag (2 octets), length (2), value. The ones read: message_payload, SAR, and a
 * receipt's receipted_message_id, message_state and network_error_code; others are skipped.
 * Octets are read raw (the `smpp` package would decode short_message into a lossy string). Decoding never throws and
 * never judges: what is wrong comes back as problems, for `problemStatus` (an SMSC's answer) or the driver's errors.
 */
import { COMMAND_ID } from './commands.ts';
import { MAX_SHORT_MESSAGE, TLV_TAG } from './fields.ts';
import { PduCursor, type PduProblem } from './pdu-cursor.ts';

export interface SarFields {
  readonly msgRefNum: number;
  readonly totalSegments: number;
  readonly segmentSeqnum: number;
}

/** The mandatory fields both the decoder gives and the encoder takes. */
export interface MessageFields {
  readonly serviceType: string;
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly sourceAddr: string;
  readonly destTon: number;
  readonly destNpi: number;
  readonly destinationAddr: string;
  readonly esmClass: number;
  /** submit_sm / deliver_sm only (0 in data_sm). */
  readonly protocolId: number;
  readonly priorityFlag: number;
  readonly registeredDelivery: number;
  readonly dataCoding: number;
  /** short_message octets (UDH included when esm_class has UDHI); empty in data_sm and beside message_payload. */
  readonly shortMessage: Uint8Array;
}

/** A decoded body: octet fields are views of the PDU. */
export interface MessageBody extends MessageFields {
  /** Section 7.1.1 times as sent ('' in data_sm). */
  readonly scheduleDeliveryTime: string;
  readonly validityPeriod: string;
  readonly messagePayload?: Uint8Array;
  readonly receiptedMessageId?: string;
  readonly messageState?: number;
  /** network_error_code (section 5.3.2.31): network type, then the 2-octet error code. */
  readonly networkErrorCode?: Uint8Array;
  /** Present when all three SAR TLVs are. */
  readonly sar?: SarFields;
}

export interface DecodedMessageBody {
  /** Undefined when a field could not be read at all (a `missing`, `unterminated` or `tlv-truncated` problem). */
  readonly body: MessageBody | undefined;
  readonly problems: readonly PduProblem[];
}

const EMPTY = new Uint8Array(0);
const NO_PROBLEMS: readonly PduProblem[] = [];

function tagName(tag: number): string {
  return `TLV 0x${tag.toString(16).padStart(4, '0')}`;
}

/** Reads a submit_sm, deliver_sm or data_sm (by its command_id) whose mandatory fields start at `start`. */
export function decodeMessageBody(frame: Buffer, start = 16): DecodedMessageBody {
  const isDataSm = frame.readUInt32BE(4) === COMMAND_ID.data_sm;
  const addrMax = isDataSm ? 65 : 21;
  const at = new PduCursor(frame, start);
  const serviceType = at.cString('service_type', 6);
  const sourceTon = at.octet('source_addr_ton');
  const sourceNpi = at.octet('source_addr_npi');
  const sourceAddr = at.cString('source_addr', addrMax);
  const destTon = at.octet('dest_addr_ton');
  const destNpi = at.octet('dest_addr_npi');
  const destinationAddr = at.cString('destination_addr', addrMax);
  const esmClass = at.octet('esm_class');
  let protocolId = 0;
  let priorityFlag = 0;
  let scheduleDeliveryTime = '';
  let validityPeriod = '';
  let shortMessage: Uint8Array = EMPTY;
  let registeredDelivery: number;
  let dataCoding: number;
  if (isDataSm) {
    registeredDelivery = at.octet('registered_delivery');
    dataCoding = at.octet('data_coding');
  } else {
    protocolId = at.octet('protocol_id');
    priorityFlag = at.octet('priority_flag');
    scheduleDeliveryTime = at.cString('schedule_delivery_time', 17);
    validityPeriod = at.cString('validity_period', 17);
    registeredDelivery = at.octet('registered_delivery');
    at.octet('replace_if_present_flag');
    dataCoding = at.octet('data_coding');
    at.octet('sm_default_msg_id');
    const smLength = at.octet('sm_length');
    if (smLength > MAX_SHORT_MESSAGE) at.note('short_message', 'too-long');
    if (!at.fatal) shortMessage = at.octets('short_message', smLength);
  }
  let messagePayload: Uint8Array | undefined;
  let receiptedMessageId: string | undefined;
  let messageState: number | undefined;
  let networkErrorCode: Uint8Array | undefined;
  let sarRef: number | undefined;
  let sarTotal: number | undefined;
  let sarSeq: number | undefined;
  const end = frame.length;
  while (!at.fatal && at.offset < end) {
    if (at.offset + 4 > end) {
      at.note('TLV header', 'tlv-truncated');
      break;
    }
    const tag = frame.readUInt16BE(at.offset);
    const length = frame.readUInt16BE(at.offset + 2);
    const from = at.offset + 4;
    const to = from + length;
    if (to > end) {
      at.note(tagName(tag), 'tlv-truncated');
      break;
    }
    at.offset = to;
    switch (tag) {
      case TLV_TAG.message_payload:
        messagePayload = frame.subarray(from, to);
        break;
      case TLV_TAG.receipted_message_id: {
        // A C-Octet String: stop at the NUL when there is one.
        const nul = frame.indexOf(0, from);
        receiptedMessageId = frame.toString('latin1', from, nul >= 0 && nul < to ? nul : to);
        break;
      }
      case TLV_TAG.message_state:
        if (length === 1) messageState = frame[from];
        break;
      case TLV_TAG.network_error_code:
        networkErrorCode = frame.subarray(from, to);
        break;
      case TLV_TAG.sar_msg_ref_num:
        if (length === 2) sarRef = frame.readUInt16BE(from);
        else at.note('sar_msg_ref_num', 'tlv-length');
        break;
      case TLV_TAG.sar_total_segments:
        if (length === 1) sarTotal = frame[from];
        else at.note('sar_total_segments', 'tlv-length');
        break;
      case TLV_TAG.sar_segment_seqnum:
        if (length === 1) sarSeq = frame[from];
        else at.note('sar_segment_seqnum', 'tlv-length');
        break;
      default:
        break;
    }
  }
  if (at.fatal) return { body: undefined, problems: at.problems ?? NO_PROBLEMS };
  if (messagePayload !== undefined && shortMessage.length > 0) at.note('message_payload', 'two-carriers');
  const sarCount = Number(sarRef !== undefined) + Number(sarTotal !== undefined) + Number(sarSeq !== undefined);
  if (sarCount !== 0 && sarCount !== 3) at.note('sar', 'sar-incomplete');
  if (sarTotal !== undefined && sarSeq !== undefined && (sarTotal === 0 || sarSeq === 0 || sarSeq > sarTotal)) {
    at.note('sar_segment_seqnum', 'sar-range');
  }
  const body: MessageBody = {
    serviceType,
    sourceTon,
    sourceNpi,
    sourceAddr,
    destTon,
    destNpi,
    destinationAddr,
    esmClass,
    protocolId,
    priorityFlag,
    scheduleDeliveryTime,
    validityPeriod,
    registeredDelivery,
    dataCoding,
    shortMessage,
    ...(messagePayload === undefined ? {} : { messagePayload }),
    ...(receiptedMessageId === undefined ? {} : { receiptedMessageId }),
    ...(messageState === undefined ? {} : { messageState }),
    ...(networkErrorCode === undefined ? {} : { networkErrorCode }),
    ...(sarRef === undefined || sarTotal === undefined || sarSeq === undefined
      ? {}
      : { sar: { msgRefNum: sarRef, totalSegments: sarTotal, segmentSeqnum: sarSeq } }),
  };
  return { body, problems: at.problems ?? NO_PROBLEMS };
}
