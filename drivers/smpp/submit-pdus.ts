import { toSmppParts } from '../codec/index.ts';
import { COMMAND_ID, MAX_SHORT_MESSAGE, TLV_TAG, encodeMessagePdu, relativeValidity, type Tlv } from '../smpp-protocol/index.ts';
import type { SendRequest } from '../transport/index.ts';
import { smppAddress } from './addressing.ts';
import type { SmppConfig } from './config.ts';
import { smppError } from './errors.ts';

/** One submit_sm ready to write: the encoded PDU (sequence_number patched at send time) and its part number. */
export interface PreparedPart {
  readonly partNo: number;
  readonly pdu: Buffer;
}

/**
 * Encodes every part of a request as submit_sm PDUs, once, before anything is sent: the codec decides
 * the octets, esm_class and data_coding, and the protocol's encoder writes them as they are (TLVs in the order
 * SAR, then message_payload). In `payload` form the whole message is one PDU, so there is one part.
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
    const tlvs: Tlv[] = [];
    if (part.sar !== undefined) {
      const { msgRefNum, totalSegments, segmentSeqnum } = part.sar;
      tlvs.push(
        { tag: TLV_TAG.sar_msg_ref_num, value: Uint8Array.of(msgRefNum >> 8, msgRefNum & 0xff) },
        { tag: TLV_TAG.sar_total_segments, value: Uint8Array.of(totalSegments) },
        { tag: TLV_TAG.sar_segment_seqnum, value: Uint8Array.of(segmentSeqnum) },
      );
    }
    if (part.messagePayload !== undefined) tlvs.push({ tag: TLV_TAG.message_payload, value: part.messagePayload });
    const pdu = encodeMessagePdu(COMMAND_ID.submit_sm, 0, {
      serviceType: config.serviceType,
      sourceTon: source.ton,
      sourceNpi: source.npi,
      sourceAddr: source.addr,
      destTon: destination.ton,
      destNpi: destination.npi,
      destinationAddr: destination.addr,
      esmClass: part.esmClass,
      protocolId: 0,
      priorityFlag: (request.priority ?? 0) > 0 ? 1 : 0,
      validityPeriod: validity,
      registeredDelivery: request.receipt ? config.registeredDelivery : 0,
      dataCoding: part.dataCoding,
      shortMessage: part.shortMessage,
      tlvs,
    });
    prepared.push({ partNo, pdu });
  });
  return prepared;
}
