import { toSmppParts } from '../codec/index.ts';
import type { SendRequest } from '../transport/index.ts';
import { smppAddress } from './addressing.ts';
import type { SmppConfig } from './config.ts';
import { smppError } from './errors.ts';
import { Pdu } from './smpp-lib.ts';
import { relativeValidity } from './validity.ts';

/** One submit_sm ready to write: the encoded PDU (sequence_number patched at send time) and its part number. */
export interface PreparedPart {
  readonly partNo: number;
  readonly pdu: Buffer;
}

/** SMPP 3.4 section 5.2.21: sm_length is one octet and the SMSC takes at most 254. */
const MAX_SHORT_MESSAGE = 254;

/**
 * Encodes every part of a request as submit_sm PDUs, once, before anything is sent: the codec decides
 * the octets, esm_class and data_coding, and they go to the smpp package as a Buffer so its encoder
 * never rewrites them. In `payload` form the whole message is one PDU, so there is one part.
 */
export function prepareSubmits(request: SendRequest, config: SmppConfig): PreparedPart[] {
  const source = smppAddress(request.from, config.addressing, 'from');
  const destination = smppAddress(request.to, config.addressing, 'to');
  const parts = toSmppParts(request.encoded, config.carriage, {
    gsmDataCoding: config.gsmDataCoding,
    // Flash is message class 0, which the codec writes into data_coding.
    ...(request.flash === true ? { messageClass: 0 as const } : {}),
  });
  const wanted = request.onlyParts === undefined ? undefined : new Set(request.onlyParts);
  if (wanted !== undefined) {
    for (const n of wanted) {
      if (!Number.isInteger(n) || n < 1 || n > parts.length) {
        throw smppError('SMPP_INVALID_REQUEST', `onlyParts has ${n}, the message has ${parts.length} submit_sm`, {
          field: 'onlyParts',
          value: n,
        });
      }
    }
  }
  const validity = request.validitySeconds === undefined ? '' : relativeValidity(request.validitySeconds);
  const prepared: PreparedPart[] = [];
  parts.forEach((part, index) => {
    const partNo = index + 1;
    if (wanted !== undefined && !wanted.has(partNo)) return;
    if (part.shortMessage.length > MAX_SHORT_MESSAGE) {
      throw smppError('SMPP_INVALID_REQUEST', `short_message of part ${partNo} has ${part.shortMessage.length} octets`, {
        field: 'short_message',
        value: part.shortMessage.length,
      });
    }
    const fields: Record<string, unknown> = {
      service_type: config.serviceType,
      source_addr_ton: source.ton,
      source_addr_npi: source.npi,
      source_addr: source.addr,
      dest_addr_ton: destination.ton,
      dest_addr_npi: destination.npi,
      destination_addr: destination.addr,
      esm_class: part.esmClass,
      protocol_id: 0,
      priority_flag: (request.priority ?? 0) > 0 ? 1 : 0,
      schedule_delivery_time: '',
      validity_period: validity,
      registered_delivery: request.receipt ? config.registeredDelivery : 0,
      replace_if_present_flag: 0,
      data_coding: part.dataCoding,
      sm_default_msg_id: 0,
      short_message: Buffer.from(part.shortMessage.buffer, part.shortMessage.byteOffset, part.shortMessage.length),
    };
    if (part.sar !== undefined) {
      fields.sar_msg_ref_num = part.sar.msgRefNum;
      fields.sar_total_segments = part.sar.totalSegments;
      fields.sar_segment_seqnum = part.sar.segmentSeqnum;
    }
    if (part.messagePayload !== undefined) {
      const payload = part.messagePayload;
      fields.message_payload = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
    }
    prepared.push({ partNo, pdu: new Pdu('submit_sm', fields).toBuffer() });
  });
  return prepared;
}
