import { smppError } from './errors.ts';
import { CMD } from './smpp-lib.ts';

/**
 * The fields of a deliver_sm (SMPP 3.4 section 4.6.1) or data_sm (section 4.7.1) the driver needs, read
 * straight from the PDU. The smpp package's decoder is not used here: its filter turns short_message into
 * a lossy string (and spends more time on that than the rest of the receipt path), while receipts and MO
 * reassembly need the raw octets. submit_sm (section 4.4.1) has the deliver_sm layout, so tests read it too.
 */
export interface MessagePduFields {
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly sourceAddr: string;
  readonly destTon: number;
  readonly destNpi: number;
  readonly destinationAddr: string;
  readonly esmClass: number;
  readonly registeredDelivery: number;
  readonly dataCoding: number;
  readonly shortMessage: Uint8Array;
  readonly messagePayload?: Uint8Array;
  readonly receiptedMessageId?: string;
  readonly messageState?: number;
  /** network_error_code (section 5.3.2.31): network type, then the 2-octet error code. */
  readonly networkErrorCode?: Uint8Array;
  readonly sar?: { readonly msgRefNum: number; readonly totalSegments: number; readonly segmentSeqnum: number };
}

/** Section 5.3.2 tags of the TLVs read here. */
const TLV = {
  receipted_message_id: 0x001e,
  sar_msg_ref_num: 0x020c,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  network_error_code: 0x0423,
  message_payload: 0x0424,
  message_state: 0x0427,
} as const;

const EMPTY = new Uint8Array(0);

/** A cursor over one PDU: one object per read rather than a closure per field. */
class FieldCursor {
  offset = 16;
  constructor(
    readonly frame: Buffer,
    readonly commandId: number,
  ) {}

  overrun(field: string): never {
    throw smppError('SMPP_PROTOCOL', `${field} overruns the PDU`, { field, commandId: this.commandId });
  }

  cString(field: string): string {
    const nul = this.frame.indexOf(0, this.offset);
    if (nul < 0) this.overrun(field);
    const value = this.frame.toString('latin1', this.offset, nul);
    this.offset = nul + 1;
    return value;
  }

  octet(field: string): number {
    if (this.offset >= this.frame.length) this.overrun(field);
    return this.frame[this.offset++] as number;
  }
}

/** Reads a deliver_sm / data_sm / submit_sm; throws SMPP_PROTOCOL when a field overruns the PDU. */
export function readMessagePdu(frame: Buffer): MessagePduFields {
  const commandId = frame.readUInt32BE(4);
  const end = frame.length;
  const at = new FieldCursor(frame, commandId);
  at.cString('service_type');
  const sourceTon = at.octet('source_addr_ton');
  const sourceNpi = at.octet('source_addr_npi');
  const sourceAddr = at.cString('source_addr');
  const destTon = at.octet('dest_addr_ton');
  const destNpi = at.octet('dest_addr_npi');
  const destinationAddr = at.cString('destination_addr');
  const esmClass = at.octet('esm_class');
  let registeredDelivery: number;
  let dataCoding: number;
  let shortMessage: Uint8Array = EMPTY;
  if (commandId === CMD.deliver_sm || commandId === CMD.submit_sm) {
    at.octet('protocol_id');
    at.octet('priority_flag');
    at.cString('schedule_delivery_time');
    at.cString('validity_period');
    registeredDelivery = at.octet('registered_delivery');
    at.octet('replace_if_present_flag');
    dataCoding = at.octet('data_coding');
    at.octet('sm_default_msg_id');
    const length = at.octet('sm_length');
    if (at.offset + length > end) at.overrun('short_message');
    shortMessage = frame.subarray(at.offset, at.offset + length);
    at.offset += length;
  } else {
    registeredDelivery = at.octet('registered_delivery');
    dataCoding = at.octet('data_coding');
  }
  let offset = at.offset;
  let messagePayload: Uint8Array | undefined;
  let receiptedMessageId: string | undefined;
  let messageState: number | undefined;
  let networkErrorCode: Uint8Array | undefined;
  let sarRef: number | undefined;
  let sarTotal: number | undefined;
  let sarSeq: number | undefined;
  while (offset + 4 <= end) {
    const tag = frame.readUInt16BE(offset);
    const length = frame.readUInt16BE(offset + 2);
    const start = offset + 4;
    offset = start + length;
    if (offset > end) at.overrun(`TLV 0x${tag.toString(16).padStart(4, '0')}`);
    switch (tag) {
      case TLV.message_payload:
        messagePayload = frame.subarray(start, offset);
        break;
      case TLV.receipted_message_id: {
        // A C-octet string: stop at the NUL when there is one.
        const nul = frame.indexOf(0, start);
        receiptedMessageId = frame.toString('latin1', start, nul >= 0 && nul < offset ? nul : offset);
        break;
      }
      case TLV.message_state:
        if (length === 1) messageState = frame[start];
        break;
      case TLV.network_error_code:
        networkErrorCode = frame.subarray(start, offset);
        break;
      case TLV.sar_msg_ref_num:
        if (length === 2) sarRef = frame.readUInt16BE(start);
        break;
      case TLV.sar_total_segments:
        if (length === 1) sarTotal = frame[start];
        break;
      case TLV.sar_segment_seqnum:
        if (length === 1) sarSeq = frame[start];
        break;
      default:
        break;
    }
  }
  if (offset !== end) at.overrun('TLV header');
  return {
    sourceTon,
    sourceNpi,
    sourceAddr,
    destTon,
    destNpi,
    destinationAddr,
    esmClass,
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
}
