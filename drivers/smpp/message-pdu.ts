import { smppError } from './errors.ts';
import { CMD } from './smpp-lib.ts';

/** The octets of a deliver_sm / data_sm the smpp package would decode lossily, and the TLVs beside them. */
export interface RawMessageFields {
  readonly shortMessage: Uint8Array;
  readonly messagePayload?: Uint8Array;
}

const TLV_MESSAGE_PAYLOAD = 0x0424;

/**
 * Walks the mandatory fields of deliver_sm (SMPP 3.4 section 4.6.1; submit_sm, section 4.4.1, has the same
 * layout) or data_sm (section 4.7.1) to reach short_message and the message_payload TLV as raw octets. Throws SMPP_PROTOCOL when a field overruns the PDU.
 */
export function rawMessageFields(frame: Buffer): RawMessageFields {
  const commandId = frame.readUInt32BE(4);
  let offset = 16;
  const end = frame.length;
  const overrun = (field: string): never => {
    throw smppError('SMPP_PROTOCOL', `${field} overruns the PDU`, { field, commandId });
  };
  const skipCString = (field: string): void => {
    const nul = frame.indexOf(0, offset);
    if (nul < 0 || nul >= end) overrun(field);
    offset = nul + 1;
  };
  const skip = (octets: number, field: string): void => {
    offset += octets;
    if (offset > end) overrun(field);
  };
  let shortMessage: Uint8Array = new Uint8Array(0);
  skipCString('service_type');
  skip(2, 'source_addr_ton');
  skipCString('source_addr');
  skip(2, 'dest_addr_ton');
  skipCString('destination_addr');
  if (commandId === CMD.deliver_sm || commandId === CMD.submit_sm) {
    skip(3, 'esm_class');
    skipCString('schedule_delivery_time');
    skipCString('validity_period');
    skip(4, 'data_coding');
    skip(1, 'sm_length');
    const length = frame[offset - 1] ?? 0;
    if (offset + length > end) overrun('short_message');
    shortMessage = frame.subarray(offset, offset + length);
    offset += length;
  } else {
    skip(3, 'data_coding');
  }
  let messagePayload: Uint8Array | undefined;
  while (offset + 4 <= end) {
    const tag = frame.readUInt16BE(offset);
    const length = frame.readUInt16BE(offset + 2);
    offset += 4;
    if (offset + length > end) overrun(`TLV 0x${tag.toString(16).padStart(4, '0')}`);
    if (tag === TLV_MESSAGE_PAYLOAD) messagePayload = frame.subarray(offset, offset + length);
    offset += length;
  }
  if (offset !== end) overrun('TLV header');
  return messagePayload === undefined ? { shortMessage } : { shortMessage, messagePayload };
}
