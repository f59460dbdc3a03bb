/**
 * Mobile-originated messages the control API injects: a text encoded by the codec (`encodeText`), cut into parts
 * and carried (`toSmppParts`) in deliver_sm as UDH in short_message, SAR TLVs, or one message_payload TLV.
 */
import { encodeText, toSmppParts, type EncodedMessage, type SmppPartFields } from '../../drivers/codec/index.ts';
import { Ajv } from 'ajv';
import { describeAjvError } from './behaviour-schema.ts';
import { simError } from './errors.ts';
import { TLV_TAG, type MessagePduFields, type Tlv } from '../../drivers/smpp-protocol/index.ts';

export interface MoRequest {
  /** The handset: E.164 with '+', digits, or an alphanumeric sender. */
  readonly from: string;
  /** The service number or short code it wrote to. */
  readonly to: string;
  readonly text: string;
  readonly encoding?: 'auto' | 'gsm7' | 'ucs2';
  /** How a long text travels; default udh. */
  readonly carriage?: 'udh' | 'sar' | 'payload';
  /** Concatenation reference; default from a counter. */
  readonly ref?: number;
  readonly refSize?: 8 | 16;
  /** Send the parts in reverse order (for reassembly tests). */
  readonly order?: 'in-order' | 'reverse';
  /** Deliver to a bind of this account (default: any receiving bind). */
  readonly systemId?: string;
}

export const MO_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'text'],
  properties: {
    from: { type: 'string', pattern: '^[\\x20-\\x7E]{1,20}$' },
    to: { type: 'string', pattern: '^[\\x20-\\x7E]{1,20}$' },
    text: { type: 'string', minLength: 1, maxLength: 10_000 },
    encoding: { enum: ['auto', 'gsm7', 'ucs2'] },
    carriage: { enum: ['udh', 'sar', 'payload'] },
    ref: { type: 'integer', minimum: 0, maximum: 65535 },
    refSize: { enum: [8, 16] },
    order: { enum: ['in-order', 'reverse'] },
    systemId: { type: 'string', minLength: 1, maxLength: 15 },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: true }).compile(MO_REQUEST_SCHEMA);

export function checkMoRequest(value: unknown): MoRequest {
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const { field, problem } = first === undefined ? { field: 'mo', problem: 'is invalid' } : describeAjvError('mo', first);
    throw simError('SIM_INVALID_REQUEST', `${field} ${problem}`, { field, problem });
  }
  const request = value as MoRequest;
  if (request.ref !== undefined && (request.refSize ?? 8) === 8 && request.ref > 255) {
    throw simError('SIM_INVALID_REQUEST', 'mo.ref must be at most 255 with an 8-bit reference', { field: 'mo.ref', value: request.ref });
  }
  return request;
}

/** TON/NPI for an address as written: '+digits' international/ISDN, digits unknown/ISDN, else alphanumeric. */
export function addressOf(address: string): { readonly ton: number; readonly npi: number; readonly addr: string } {
  if (/^\+\d+$/.test(address)) return { ton: 1, npi: 1, addr: address.slice(1) };
  if (/^\d+$/.test(address)) return { ton: 0, npi: 1, addr: address };
  return { ton: 5, npi: 0, addr: address };
}

/** The deliver_sm of each part of the message, in sending order. */
export function buildMoParts(request: MoRequest, ref: number): MessagePduFields[] {
  const carriage = request.carriage ?? 'udh';
  let encoded: EncodedMessage;
  try {
    encoded = encodeText(request.text, {
      encoding: request.encoding ?? 'auto',
      concatRef: ref,
      refSize: request.refSize ?? 8,
      maxParts: carriage === 'payload' ? 255 : 10,
    });
  } catch (error: unknown) {
    throw simError('SIM_MO_ENCODING', error instanceof Error ? error.message : String(error), { field: 'mo.text' }, { cause: error });
  }
  const from = addressOf(request.from);
  const to = addressOf(request.to);
  const common = {
    serviceType: '',
    sourceTon: from.ton,
    sourceNpi: from.npi,
    sourceAddr: from.addr,
    destTon: to.ton,
    destNpi: to.npi,
    destinationAddr: to.addr,
    protocolId: 0,
    priorityFlag: 0,
    registeredDelivery: 0,
  };
  let carried: SmppPartFields[];
  try {
    carried = toSmppParts(encoded, carriage, { gsmDataCoding: 0x00 });
  } catch (error: unknown) {
    throw simError('SIM_MO_ENCODING', error instanceof Error ? error.message : String(error), { field: 'mo.text' }, { cause: error });
  }
  const out = carried.map((part): MessagePduFields => {
    const tlvs: Tlv[] = [];
    if (part.sar !== undefined && part.sar.totalSegments > 1) {
      const ref = part.sar.msgRefNum;
      tlvs.push(
        { tag: TLV_TAG.sar_msg_ref_num, value: Uint8Array.of(ref >> 8, ref & 0xff) },
        { tag: TLV_TAG.sar_total_segments, value: Uint8Array.of(part.sar.totalSegments) },
        { tag: TLV_TAG.sar_segment_seqnum, value: Uint8Array.of(part.sar.segmentSeqnum) },
      );
    }
    if (part.messagePayload !== undefined) tlvs.push({ tag: TLV_TAG.message_payload, value: part.messagePayload });
    return { ...common, esmClass: part.esmClass, dataCoding: part.dataCoding, shortMessage: part.shortMessage, tlvs };
  });
  return request.order === 'reverse' ? out.reverse() : out;
}
