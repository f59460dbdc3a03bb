/**
 * The PDUs the simulated SMSC sends, written straight to octets (SMPP 3.4 section 3.2 header, then the body of
 * section 4.x in field order). The `smpp` package's encoder walks every field through filters that rewrite
 * data_coding and esm_class when handed text; writing these few PDU types directly keeps the octets exactly as
 * intended and costs a fraction of it per PDU, which matters at tens of thousands of receipts a second.
 */
import { COMMAND_ID } from './smpp-constants.ts';

export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

/** deliver_sm (SMPP 3.4 section 4.6.1); schedule_delivery_time and validity_period are always NULL here. */
export interface DeliverSmFields {
  readonly serviceType: string;
  readonly sourceTon: number;
  readonly sourceNpi: number;
  readonly sourceAddr: string;
  readonly destTon: number;
  readonly destNpi: number;
  readonly destinationAddr: string;
  readonly esmClass: number;
  readonly protocolId: number;
  readonly priorityFlag: number;
  readonly registeredDelivery: number;
  readonly dataCoding: number;
  /** At most 254 octets; empty when message_payload carries the message. */
  readonly shortMessage: Uint8Array;
  readonly tlvs: readonly Tlv[];
}

const HEADER = 16;

function header(buffer: Buffer, commandId: number, status: number, sequence: number): void {
  buffer.writeUInt32BE(buffer.length, 0);
  buffer.writeUInt32BE(commandId >>> 0, 4);
  buffer.writeUInt32BE(status >>> 0, 8);
  buffer.writeUInt32BE(sequence >>> 0, 12);
}

/** A PDU without a body: generic_nack, enquire_link_resp, unbind_resp, and every response with an error status. */
export function encodeHeaderOnly(commandId: number, status: number, sequence: number): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER);
  header(buffer, commandId, status, sequence);
  return buffer;
}

/** submit_sm_resp / data_sm_resp with ESME_ROK: the message_id C-octet string. */
export function encodeMessageIdResp(commandId: number, sequence: number, messageId: string): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER + messageId.length + 1);
  header(buffer, commandId, 0, sequence);
  buffer.write(messageId, HEADER, 'latin1');
  buffer[buffer.length - 1] = 0;
  return buffer;
}

/** The body of a query_sm_resp with ESME_ROK (SMPP 3.4 section 4.8.2). */
export interface QuerySmRespFields {
  readonly messageId: string;
  /** '' (NULL) while the message is not final, else the 16-character absolute time. */
  readonly finalDate: string;
  readonly messageState: number;
  readonly errorCode: number;
}

/** query_sm_resp with ESME_ROK: message_id, final_date, message_state, error_code. */
export function encodeQuerySmResp(sequence: number, f: QuerySmRespFields): Buffer {
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
  buffer.writeUInt16BE(0x0210, o);
  buffer.writeUInt16BE(1, o + 2);
  buffer[o + 4] = interfaceVersion;
  return buffer;
}

export function encodeDeliverSm(sequence: number, f: DeliverSmFields): Buffer {
  let tlvLength = 0;
  for (const tlv of f.tlvs) tlvLength += 4 + tlv.value.length;
  const length =
    HEADER + f.serviceType.length + 1 + 2 + f.sourceAddr.length + 1 + 2 + f.destinationAddr.length + 1 + 3 + 2 + 4 + 1 + f.shortMessage.length + tlvLength;
  const buffer = Buffer.allocUnsafe(length);
  header(buffer, COMMAND_ID.deliver_sm, 0, sequence);
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
  buffer[o++] = 0; // schedule_delivery_time: NULL
  buffer[o++] = 0; // validity_period: NULL
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

