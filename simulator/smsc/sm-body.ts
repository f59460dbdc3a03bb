/**
 * Reads the message-carrying bodies the simulator receives (SMPP 3.4 section 4.4.1 submit_sm, 4.7.1 data_sm) from
 * the raw octets, because the `smpp` package decodes short_message into text by its own rules. Fields are read in
 * the order of the spec; each C-octet string is checked against its maximum length (NUL included), and a bad field
 * yields the command_status an SMSC answers with.
 */
import { STATUS, TLV_TAG } from './smpp-constants.ts';

export interface SarInfo {
  readonly ref: number;
  readonly total: number;
  readonly seq: number;
}

export interface MessageFields {
  readonly serviceType: string;
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly sourceAddr: string;
  readonly destTon: number;
  readonly destNpi: number;
  readonly destinationAddr: string;
  readonly esmClass: number;
  readonly protocolId: number;
  readonly registeredDelivery: number;
  readonly dataCoding: number;
  /** short_message octets as sent (UDH included when esm_class has UDHI). */
  readonly shortMessage: Uint8Array;
  readonly messagePayload?: Uint8Array;
  readonly sar?: SarInfo;
}

export type BodyResult =
  | { readonly ok: true; readonly fields: MessageFields }
  | { readonly ok: false; readonly status: number; readonly problem: string };

const HEADER = 16;

export class Reader {
  offset: number;
  constructor(
    readonly buf: Buffer,
    start: number,
  ) {
    this.offset = start;
  }
  u8(): number | undefined {
    if (this.offset >= this.buf.length) return undefined;
    return this.buf[this.offset++];
  }
  /** A C-octet string of at most `max` octets including its NUL; undefined when unterminated or too long. */
  cstring(max: number): string | undefined {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0 || end - this.offset + 1 > max) return undefined;
    const value = this.buf.toString('latin1', this.offset, end);
    this.offset = end + 1;
    return value;
  }
}

function fail(status: number, problem: string): BodyResult {
  return { ok: false, status, problem };
}

/**
 * Parses a submit_sm or data_sm whose mandatory fields start at `start` (16 in a whole PDU, 12 in the bytes after
 * command_length) and run to the end of `pdu`.
 */
export function parseMessageBody(pdu: Buffer, command: 'submit_sm' | 'data_sm', start = HEADER): BodyResult {
  const r = new Reader(pdu, start);
  const addrMax = command === 'submit_sm' ? 21 : 65;
  const serviceType = r.cstring(6);
  if (serviceType === undefined) return fail(STATUS.ESME_RINVSERTYP, 'service_type');
  const sourceTon = r.u8();
  const sourceNpi = r.u8();
  const sourceAddr = r.cstring(addrMax);
  if (sourceTon === undefined || sourceNpi === undefined || sourceAddr === undefined) return fail(STATUS.ESME_RINVSRCADR, 'source_addr');
  const destTon = r.u8();
  const destNpi = r.u8();
  const destinationAddr = r.cstring(addrMax);
  if (destTon === undefined || destNpi === undefined || destinationAddr === undefined) return fail(STATUS.ESME_RINVDSTADR, 'destination_addr');
  const esmClass = r.u8();
  if (esmClass === undefined) return fail(STATUS.ESME_RINVESMCLASS, 'esm_class');
  let protocolId = 0;
  let registeredDelivery: number | undefined;
  let dataCoding: number | undefined;
  let shortMessage: Uint8Array = new Uint8Array(0);
  if (command === 'submit_sm') {
    const pid = r.u8();
    const priority = r.u8();
    if (pid === undefined || priority === undefined) return fail(STATUS.ESME_RINVMSGLEN, 'protocol_id');
    protocolId = pid;
    if (r.cstring(17) === undefined) return fail(STATUS.ESME_RINVSCHED, 'schedule_delivery_time');
    if (r.cstring(17) === undefined) return fail(STATUS.ESME_RINVEXPIRY, 'validity_period');
    registeredDelivery = r.u8();
    const replace = r.u8();
    dataCoding = r.u8();
    const defaultMsgId = r.u8();
    const smLength = r.u8();
    if (registeredDelivery === undefined || replace === undefined || dataCoding === undefined || defaultMsgId === undefined || smLength === undefined) {
      return fail(STATUS.ESME_RINVMSGLEN, 'sm_length');
    }
    if (smLength > 254 || r.offset + smLength > pdu.length) return fail(STATUS.ESME_RINVMSGLEN, 'short_message');
    shortMessage = pdu.subarray(r.offset, r.offset + smLength);
    r.offset += smLength;
  } else {
    registeredDelivery = r.u8();
    dataCoding = r.u8();
    if (registeredDelivery === undefined || dataCoding === undefined) return fail(STATUS.ESME_RINVMSGLEN, 'data_coding');
  }
  let messagePayload: Uint8Array | undefined;
  let sarRef: number | undefined;
  let sarTotal: number | undefined;
  let sarSeq: number | undefined;
  while (r.offset < pdu.length) {
    if (r.offset + 4 > pdu.length) return fail(STATUS.ESME_RINVTLVSTREAM, 'TLV header');
    const tag = pdu.readUInt16BE(r.offset);
    const length = pdu.readUInt16BE(r.offset + 2);
    const start = r.offset + 4;
    if (start + length > pdu.length) return fail(STATUS.ESME_RINVTLVLEN, `TLV 0x${tag.toString(16).padStart(4, '0')}`);
    const value = pdu.subarray(start, start + length);
    r.offset = start + length;
    switch (tag) {
      case TLV_TAG.message_payload:
        messagePayload = value;
        break;
      case TLV_TAG.sar_msg_ref_num:
        if (length !== 2) return fail(STATUS.ESME_RINVTLVLEN, 'sar_msg_ref_num');
        sarRef = value.readUInt16BE(0);
        break;
      case TLV_TAG.sar_total_segments:
        if (length !== 1) return fail(STATUS.ESME_RINVTLVLEN, 'sar_total_segments');
        sarTotal = value[0];
        break;
      case TLV_TAG.sar_segment_seqnum:
        if (length !== 1) return fail(STATUS.ESME_RINVTLVLEN, 'sar_segment_seqnum');
        sarSeq = value[0];
        break;
      default:
        break;
    }
  }
  if (messagePayload !== undefined && shortMessage.length > 0) {
    return fail(STATUS.ESME_RINVMSGLEN, 'short_message and message_payload both carry data');
  }
  const sarCount = Number(sarRef !== undefined) + Number(sarTotal !== undefined) + Number(sarSeq !== undefined);
  if (sarCount !== 0 && sarCount !== 3) return fail(STATUS.ESME_RMISSINGTLV, 'SAR TLVs come as a set of three');
  if (sarTotal !== undefined && sarSeq !== undefined && (sarTotal === 0 || sarSeq === 0 || sarSeq > sarTotal)) {
    return fail(STATUS.ESME_RINVTLVVAL, 'sar_segment_seqnum');
  }
  const fields: MessageFields = {
    serviceType,
    sourceTon,
    sourceNpi,
    sourceAddr,
    destTon,
    destNpi,
    destinationAddr,
    esmClass,
    protocolId,
    registeredDelivery,
    dataCoding,
    shortMessage,
    ...(messagePayload === undefined ? {} : { messagePayload }),
    ...(sarRef !== undefined && sarTotal !== undefined && sarSeq !== undefined ? { sar: { ref: sarRef, total: sarTotal, seq: sarSeq } } : {}),
  };
  return { ok: true, fields };
}
