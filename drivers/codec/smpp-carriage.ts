/**
 * The three ways SMPP 3.4 carries a message (the SMPP driver picks one per connector):
 * - `udh`: each part in short_message with its UDH in front and esm_class UDHI (0x40), section 5.2.12;
 * - `sar`: each part in short_message, concatenation in the sar_msg_ref_num / sar_total_segments /
 *   sar_segment_seqnum TLVs (section 5.3.2.22-24), a UDH only for what SAR cannot say (national shifts,
 *   caller elements);
 * - `payload`: the whole message in one message_payload TLV (section 5.3.2.32), short_message empty, the SMSC
 *   segments it.
 * And the inverse for what arrives in deliver_sm / data_sm / submit_sm (the simulator).
 */
import { codecError } from './errors.ts';
import { allocOctets } from './octet-pool.ts';
import {
  type DataCodingRequest,
  decodeAlphabet,
  parseSmppDataCoding,
  type SmppAlphabet,
  smppDataCoding,
  type SmppMessageClass,
} from './smpp-data-coding.ts';
import type { ConcatInfo, EncodedMessage, Encoding, SegmentPart, ShiftTables, UdhElement } from './types.ts';
import { decodeUdh, encodeUdh, IEI_CONCAT_16, IEI_CONCAT_8, IEI_LOCKING_SHIFT, IEI_SINGLE_SHIFT } from './udh.ts';

export type SmppCarriage = 'udh' | 'sar' | 'payload';

/** esm_class bit 6: short_message (or message_payload) starts with a UDH. */
export const ESM_CLASS_UDHI = 0x40;
/** SMPP 3.4 section 5.2.21: sm_length is one octet and short_message at most 254 octets. */
export const MAX_SHORT_MESSAGE = 254;
/** message_payload TLV length is two octets. */
export const MAX_MESSAGE_PAYLOAD = 0xffff;

export interface SarFields {
  readonly msgRefNum: number;
  readonly totalSegments: number;
  readonly segmentSeqnum: number;
}

export interface SmppPartFields {
  /** UDH + payload (`udh`), payload (`sar`, with a UDH only for shift or caller elements), empty (`payload`). */
  readonly shortMessage: Uint8Array;
  /** 0x40 when a UDH leads short_message or message_payload; the driver ORs in the messaging mode and type. */
  readonly esmClass: number;
  readonly dataCoding: number;
  readonly sar?: SarFields;
  /** The whole message (`payload` form), without concatenation UDH. */
  readonly messagePayload?: Uint8Array;
}

export interface SmppCarriageOptions extends DataCodingRequest {
  readonly gsmDataCoding: 0x00 | 0x01;
}

function isConcat(element: UdhElement): boolean {
  return element.iei === IEI_CONCAT_8 || element.iei === IEI_CONCAT_16;
}

function isShift(element: UdhElement): boolean {
  return element.iei === IEI_SINGLE_SHIFT || element.iei === IEI_LOCKING_SHIFT;
}

/** IA5 octets of a GSM text, for connectors that label 7-bit text 0x01. */
function ia5(text: string): Uint8Array {
  const out = allocOctets(text.length);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit > 0x7f) {
      throw codecError('CODEC_NOT_IA5', `${JSON.stringify(text.charAt(i))} at index ${i}`, { character: text.charAt(i), index: i });
    }
    out[i] = unit;
  }
  return out;
}

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = allocOctets(length);
  let o = 0;
  for (const chunk of chunks) {
    out.set(chunk, o);
    o += chunk.length;
  }
  return out;
}

function checkShortMessage(octets: Uint8Array, seq: number): Uint8Array {
  if (octets.length > MAX_SHORT_MESSAGE) {
    throw codecError('CODEC_PAYLOAD_TOO_LONG', `short_message of part ${seq} has ${octets.length} octets, at most ${MAX_SHORT_MESSAGE}`, {
      octets: octets.length,
      max: MAX_SHORT_MESSAGE,
      seq,
    });
  }
  return octets;
}

// Module-level rather than closures in toSmppParts: tsx (keepNames) names a closure with Object.defineProperty each
// time it is built, about 0.5 µs, which was most of this function's time on the send path.
function body(part: SegmentPart, asIa5: boolean): Uint8Array {
  return asIa5 ? ia5(part.text) : part.payload;
}

/** IA5 has no national shift tables, so their UDH elements are dropped. */
function keep(element: UdhElement, asIa5: boolean): boolean {
  return !(asIa5 && isShift(element));
}

/**
 * An encoded message -> the submit_sm fields of each PDU to send (one per part; one in all for `payload`).
 * With `gsmDataCoding` 0x01, 7-bit text goes as IA5 (ASCII) octets rather than GSM septets (and without the
 * national shift elements, which mean nothing in IA5); a character outside ASCII is refused.
 */
export function toSmppParts(message: EncodedMessage, form: SmppCarriage, options: SmppCarriageOptions): SmppPartFields[] {
  if (form !== 'udh' && form !== 'sar' && form !== 'payload') {
    throw codecError('CODEC_INVALID_OPTION', `unknown SMPP carriage ${String(form)}`, { carriage: form });
  }
  if (options.gsmDataCoding !== 0x00 && options.gsmDataCoding !== 0x01) {
    throw codecError('CODEC_INVALID_OPTION', `gsmDataCoding ${String(options.gsmDataCoding)}`, { gsmDataCoding: options.gsmDataCoding });
  }
  const dataCoding = smppDataCoding(message.encoding, options);
  const asIa5 = message.encoding === 'gsm7' && dataCoding === 0x01;

  if (form === 'payload') {
    const first = message.parts[0];
    const elements = (first?.udh ?? []).filter((element) => !isConcat(element) && keep(element, asIa5));
    const udh = encodeUdh(elements);
    const whole = concatBytes([udh, ...message.parts.map((part) => body(part, asIa5))]);
    if (whole.length > MAX_MESSAGE_PAYLOAD) {
      throw codecError('CODEC_PAYLOAD_TOO_LONG', `message_payload of ${whole.length} octets, at most ${MAX_MESSAGE_PAYLOAD}`, {
        octets: whole.length,
        max: MAX_MESSAGE_PAYLOAD,
      });
    }
    return [{ shortMessage: new Uint8Array(0), esmClass: udh.length > 0 ? ESM_CLASS_UDHI : 0, dataCoding, messagePayload: whole }];
  }

  return message.parts.map((part): SmppPartFields => {
    const elements = part.udh.filter((element) => keep(element, asIa5) && (form === 'udh' || !isConcat(element)));
    const udh = encodeUdh(elements);
    const shortMessage = checkShortMessage(udh.length === 0 ? body(part, asIa5) : concatBytes([udh, body(part, asIa5)]), part.seq);
    const fields = { shortMessage, esmClass: udh.length > 0 ? ESM_CLASS_UDHI : 0, dataCoding };
    if (form === 'sar' && part.concat !== undefined) {
      const sar = { msgRefNum: part.concat.ref, totalSegments: part.concat.total, segmentSeqnum: part.concat.seq };
      return { ...fields, sar };
    }
    return fields;
  });
}

export interface SmppInboundFields {
  readonly esmClass: number;
  readonly dataCoding: number;
  readonly shortMessage: Uint8Array;
  readonly messagePayload?: Uint8Array;
  readonly sar?: SarFields;
}

export interface SmppInboundMessage {
  readonly text: string;
  /**
   * The codec encoding for reassembly: 'ucs2', 'binary', or 'gsm7' for every other text alphabet
   * (see `alphabet` for which one the octets were in).
   */
  readonly encoding: Encoding;
  readonly alphabet: SmppAlphabet;
  /** The octets after the UDH, for binary data coding. */
  readonly binary?: Uint8Array;
  /** From the UDH (IEI 0x00 / 0x08) or else the SAR TLVs (as a 16-bit reference). */
  readonly concat?: ConcatInfo;
  readonly udh: readonly UdhElement[];
  readonly shiftTables: ShiftTables;
  readonly messageClass?: SmppMessageClass;
}

/**
 * Received SMPP fields -> text and concatenation info. message_payload wins when present (SMPP forbids both).
 * Throws the codec error of whatever cannot be read (reserved data_coding, broken UDH, invalid septets); the
 * caller keeps such a message as binary rather than dropping it.
 */
export function fromSmppFields(fields: SmppInboundFields): SmppInboundMessage {
  const coding = parseSmppDataCoding(fields.dataCoding);
  const data = fields.messagePayload !== undefined && fields.messagePayload.length > 0 ? fields.messagePayload : fields.shortMessage;
  let body = data;
  let udh: readonly UdhElement[] = [];
  let concat: ConcatInfo | undefined;
  let shiftTables: ShiftTables = {};
  if ((fields.esmClass & ESM_CLASS_UDHI) !== 0) {
    const decoded = decodeUdh(data);
    body = data.subarray(decoded.length);
    udh = decoded.elements;
    concat = decoded.concat;
    shiftTables = decoded.shiftTables;
  }
  if (concat === undefined && fields.sar !== undefined) {
    const { msgRefNum, totalSegments, segmentSeqnum } = fields.sar;
    // TS 23.040 rule for concatenation applies to SAR alike: a sequence outside 1..total is ignored.
    if (segmentSeqnum >= 1 && segmentSeqnum <= totalSegments && totalSegments <= 255 && msgRefNum >= 0 && msgRefNum <= 0xffff) {
      concat = { ref: msgRefNum, total: totalSegments, seq: segmentSeqnum, refSize: 16 };
    }
  }
  const { alphabet } = coding;
  const text = decodeAlphabet(body, alphabet, shiftTables);
  const encoding: Encoding = alphabet === 'ucs2' ? 'ucs2' : alphabet === 'binary' ? 'binary' : 'gsm7';
  return {
    text,
    encoding,
    alphabet,
    ...(alphabet === 'binary' ? { binary: body } : {}),
    ...(concat !== undefined ? { concat } : {}),
    udh,
    shiftTables,
    ...(coding.messageClass !== undefined ? { messageClass: coding.messageClass } : {}),
  };
}
