/**
 * 3GPP TS 23.040 clause 9.2.2.1 SMS-DELIVER, preceded by the SMSC information of TS 27.005 clause 3.1, as a
 * modem prints it in +CMT / +CMGR / +CMGL. Built on the codec's public encoders. Fields in order:
 *   first octet: TP-MTI (bits 1-0 = 00), TP-MMS (bit 2, 1 = no more messages), TP-SRI (bit 5), TP-UDHI (bit 6)
 *   TP-OA   originating address (clause 9.1.2.5; alphanumeric senders too)
 *   TP-PID  protocol identifier
 *   TP-DCS  data coding scheme (class 0 for flash)
 *   TP-SCTS service centre time stamp (clause 9.2.3.11)
 *   TP-UDL  septets (GSM 7-bit: UDH, fill bits and text) or octets
 *   TP-UD   UDH, fill bits, then packed septets or octets
 */
import {
  buildDcs,
  encodeScts,
  encodeSmscAddress,
  encodeText,
  encodeTpAddress,
  encodeUdh,
  fillBitsAfterUdh,
  packedLength,
  packSeptetsInto,
  toHex,
  type EncodedMessage,
  type EncodingRequest,
} from '../../drivers/codec/index.ts';

export interface DeliverOptions {
  readonly from: string;
  readonly text: string;
  /** Default auto (GSM 7-bit when it fits, else UCS-2). */
  readonly encoding?: EncodingRequest;
  /** Concatenation reference of a multi-part message (0-255). */
  readonly concatRef?: number;
  readonly flash?: boolean;
  /** The SMSC that delivered it; printed before the TPDU. */
  readonly smsc?: string;
  readonly scts: Date;
  /** SC time zone in quarters of an hour (Japan: +36). */
  readonly tzQuarterHours?: number;
  /** Most parts accepted (default 10). */
  readonly maxParts?: number;
}

export interface DeliverPdu {
  /** SMSC information and TPDU, upper-case hex. */
  readonly hex: string;
  readonly tpduLength: number;
  readonly seq: number;
  readonly total: number;
  /** The text this part carries. */
  readonly text: string;
}

const MTI_DELIVER = 0x00;
const MMS_NO_MORE = 0x04;
const UDHI = 0x40;

/** One SMS-DELIVER per part of the text, in part order. Throws the codec's errors for text it cannot carry. */
export function buildDeliverPdus(options: DeliverOptions): DeliverPdu[] {
  const message: EncodedMessage = encodeText(options.text, {
    encoding: options.encoding ?? 'auto',
    concatRef: options.concatRef ?? 0,
    maxParts: options.maxParts ?? 10,
  });
  const smsc = encodeSmscAddress(options.smsc);
  const originator = encodeTpAddress(options.from, 'TP-OA');
  const dcs = buildDcs({ encoding: message.encoding, flash: options.flash === true });
  const scts = encodeScts(options.scts, options.tzQuarterHours ?? 0);
  const septets = message.encoding === 'gsm7';
  return message.parts.map((part) => {
    const udh = part.udh.length === 0 ? new Uint8Array(0) : encodeUdh(part.udh);
    const fill = septets && udh.length > 0 ? fillBitsAfterUdh(udh.length) : 0;
    const udl = septets ? (udh.length * 8 + fill) / 7 + part.payload.length : udh.length + part.payload.length;
    const udOctets = septets ? udh.length + packedLength(part.payload.length, fill) : udl;
    const header = smsc.length + 1 + originator.length + 2 + scts.length + 1;
    const bytes = new Uint8Array(header + udOctets);
    let i = 0;
    bytes.set(smsc, i);
    i += smsc.length;
    bytes[i++] = MTI_DELIVER | MMS_NO_MORE | (udh.length > 0 ? UDHI : 0);
    bytes.set(originator, i);
    i += originator.length;
    bytes[i++] = 0; // TP-PID: plain SME-to-SME
    bytes[i++] = dcs;
    bytes.set(scts, i);
    i += scts.length;
    bytes[i++] = udl;
    bytes.set(udh, i);
    i += udh.length;
    if (septets) packSeptetsInto(part.payload, bytes, i, fill);
    else bytes.set(part.payload, i);
    return { hex: toHex(bytes), tpduLength: bytes.length - smsc.length, seq: part.seq, total: message.parts.length, text: part.text };
  });
}
