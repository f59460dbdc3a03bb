/**
 * The PDUs both sides send most, written straight to octets: the SMPP 3.4 section 3.2 header, then the body of
 * section 4.x in field order (submit_sm 4.4.1 and deliver_sm 4.6.1 share one layout; see message-body.ts). The
 * `smpp` package's encoder walks every field through filters that rewrite data_coding and esm_class when handed
 * text; writing these few PDU types directly keeps the octets exactly as intended and costs a fraction of it per
 * PDU, which matters at tens of thousands of submits and receipts a second. Rarer PDUs (binds, query_sm) go through
 * the package (smpp-lib.ts).
 */
import { COMMAND_ID } from './commands.ts';
import { TLV_TAG } from './fields.ts';
import type { MessageFields } from './message-body.ts';
import type { QuerySmRespBody } from './query-sm.ts';

export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

/** The fields of a submit_sm or deliver_sm; TLVs are written in the order given. */
export interface MessagePduFields extends MessageFields {
  /** Section 7.1.1 time, or '' (NULL, the default). */
  readonly scheduleDeliveryTime?: string;
  readonly validityPeriod?: string;
  readonly tlvs: readonly Tlv[];
}

const HEADER = 16;

function header(buffer: Buffer, commandId: number, status: number, sequence: number): void {
  buffer.writeUInt32BE(buffer.length, 0);
  buffer.writeUInt32BE(commandId >>> 0, 4);
  buffer.writeUInt32BE(status >>> 0, 8);
  buffer.writeUInt32BE(sequence >>> 0, 12);
}

/**
 * A PDU without a body: generic_nack, enquire_link(_resp), unbind(_resp), and every response with an error status
 * (section 4.4.2: an error answer carries no body).
 */
export function encodeHeaderOnly(commandId: number, status: number, sequence: number): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER);
  header(buffer, commandId, status, sequence);
  return buffer;
}

/** submit_sm_resp / data_sm_resp / deliver_sm_resp with ESME_ROK: the message_id C-octet string ('' from an ESME). */
export function encodeMessageIdResp(commandId: number, sequence: number, messageId: string): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER + messageId.length + 1);
  header(buffer, commandId, 0, sequence);
  buffer.write(messageId, HEADER, 'latin1');
  buffer[buffer.length - 1] = 0;
  return buffer;
}

/** query_sm_resp with ESME_ROK: message_id, final_date, message_state, error_code. */
export function encodeQuerySmResp(sequence: number, f: QuerySmRespBody): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER + f.messageId.length + 1 + f.finalDate.length + 1 + 2);
  header(buffer, COMMAND_ID.query_sm_resp, 0, sequence);
  let o = HEADER + buffer.write(f.messageId, HEADER, 'latin1');
  buffer[o++] = 0;
  o += buffer.write(f.finalDate, o, 'latin1');
  buffer[o++] = 0;
  buffer[o++] = f.messageState;
  buffer[o] = f.errorCode;
  return buffer;
}

/** bind_*_resp with ESME_ROK: system_id, then the sc_interface_version TLV (0x0210). */
export function encodeBindResp(commandId: number, sequence: number, systemId: string, interfaceVersion: number): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER + systemId.length + 1 + 5);
  header(buffer, commandId, 0, sequence);
  let o = HEADER + buffer.write(systemId, HEADER, 'latin1');
  buffer[o++] = 0;
  buffer.writeUInt16BE(TLV_TAG.sc_interface_version, o);
  buffer.writeUInt16BE(1, o + 2);
  buffer[o + 4] = interfaceVersion;
  return buffer;
}

/** submit_sm or deliver_sm (`commandId`) with command_status 0. */
export function encodeMessagePdu(commandId: number, sequence: number, f: MessagePduFields): Buffer {
  const schedule = f.scheduleDeliveryTime ?? '';
  const validity = f.validityPeriod ?? '';
  let tlvLength = 0;
  for (const tlv of f.tlvs) tlvLength += 4 + tlv.value.length;
  const length =
    HEADER +
    f.serviceType.length + 1 +
    2 + f.sourceAddr.length + 1 +
    2 + f.destinationAddr.length + 1 +
    3 +
    schedule.length + 1 +
    validity.length + 1 +
    5 + f.shortMessage.length +
    tlvLength;
  const buffer = Buffer.allocUnsafe(length);
  header(buffer, commandId, 0, sequence);
  let o = HEADER;
  o += buffer.write(f.serviceType, o, 'latin1');
  buffer[o++] = 0;
  buffer[o++] = f.sourceTon;
  buffer[o++] = f.sourceNpi;
  o += buffer.write(f.sourceAddr, o, 'latin1');
  buffer[o++] = 0;
  buffer[o++] = f.destTon;
  buffer[o++] = f.destNpi;
  o += buffer.write(f.destinationAddr, o, 'latin1');
  buffer[o++] = 0;
  buffer[o++] = f.esmClass;
  buffer[o++] = f.protocolId;
  buffer[o++] = f.priorityFlag;
  o += buffer.write(schedule, o, 'latin1');
  buffer[o++] = 0;
  o += buffer.write(validity, o, 'latin1');
  buffer[o++] = 0;
  buffer[o++] = f.registeredDelivery;
  buffer[o++] = 0; // replace_if_present_flag
  buffer[o++] = f.dataCoding;
  buffer[o++] = 0; // sm_default_msg_id
  buffer[o++] = f.shortMessage.length;
  buffer.set(f.shortMessage, o);
  o += f.shortMessage.length;
  for (const tlv of f.tlvs) {
    buffer.writeUInt16BE(tlv.tag, o);
    buffer.writeUInt16BE(tlv.value.length, o + 2);
    buffer.set(tlv.value, o + 4);
    o += 4 + tlv.value.length;
  }
  return buffer;
}

/** A C-octet string TLV value (NUL included), e.g. receipted_message_id. */
export function cstringValue(text: string): Uint8Array {
  const value = Buffer.allocUnsafe(text.length + 1);
  value.write(text, 0, 'latin1');
  value[text.length] = 0;
  return value;
}

