/**
 * The SC -> MS PDUs a virtual modem hands out (+CMT, +CMGR, +CDS), 3GPP TS 23.040:
 *   clause 9.2.2.1 SMS-DELIVER: first octet (TP-MTI 00, TP-MMS bit 2 = 1 when no more messages wait, TP-LP bit 3,
 *     TP-SRI bit 5, TP-UDHI bit 6, TP-RP bit 7), TP-OA, TP-PID, TP-DCS, TP-SCTS, TP-UDL, TP-UD
 *   clause 9.2.2.3 SMS-STATUS-REPORT: first octet (TP-MTI 10, TP-MMS bit 2, TP-SRQ bit 5), TP-MR, TP-RA, TP-SCTS,
 *     TP-DT, TP-ST (no TP-PI: the optional fields are left out)
 * Each preceded by the SMSC information (TS 27.005 clause 3.1), as a modem prints them in PDU mode.
 */
import { codecError } from './errors.ts';
import { toHex } from './hex.ts';
import { buildDcs } from './tp-dcs.ts';
import { encodeSmscAddress, encodeTpAddress } from './tpdu-address.ts';
import { encodeScts, SCTS_LENGTH } from './tpdu-time.ts';
import { layoutUserData, writeUserData } from './tpdu-user-data.ts';
import type { SubmitPdu } from './tpdu-submit.ts';
import type { EncodedMessage } from './types.ts';

export interface DeliverOptions {
  /** Originator: '+' and digits, digits, or an alphanumeric sender (at most 11 GSM characters). */
  readonly from: string;
  /** The SC's time stamp. */
  readonly scts: Date;
  /** The SC's time zone in quarter hours, default 0. */
  readonly tzQuarterHours?: number;
  readonly pid?: number;
  readonly flash?: boolean;
  /** TP-SRI: the sender asked for a status report. */
  readonly statusReportIndication?: boolean;
  /** TP-MMS inverted: more messages wait at the SC. Default false. */
  readonly moreMessagesToSend?: boolean;
  /** SMSC number; absent: the `00` form. */
  readonly smsc?: string;
}

/** Same shape as a submit PDU: hex with the SMSC information first, the TPDU length and the part number. */
export type PduHex = SubmitPdu;

const MTI_DELIVER = 0x00;
const MTI_STATUS_REPORT = 0x02;
const NO_MORE_MESSAGES = 0x04;
const SRI = 0x20;
const UDHI = 0x40;

function octet(value: number | undefined, field: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw codecError('CODEC_INVALID_OPTION', `${field} must be an integer 0-255, got ${value}`, { field, value });
  }
  return value;
}

/** One SMS-DELIVER per part of `message`. */
export function buildDeliverPdus(message: EncodedMessage, options: DeliverOptions): PduHex[] {
  const smsc = encodeSmscAddress(options.smsc);
  const originator = encodeTpAddress(options.from, 'TP-OA');
  const pid = octet(options.pid, 'TP-PID');
  const dcs = buildDcs({ encoding: message.encoding, flash: options.flash === true });
  const scts = encodeScts(options.scts, options.tzQuarterHours ?? 0);
  const septets = message.encoding === 'gsm7';
  let first = MTI_DELIVER;
  if (options.moreMessagesToSend !== true) first |= NO_MORE_MESSAGES;
  if (options.statusReportIndication === true) first |= SRI;
  return message.parts.map((part) => {
    const layout = layoutUserData(part, septets);
    const bytes = new Uint8Array(smsc.length + 1 + originator.length + 2 + SCTS_LENGTH + 1 + layout.octets);
    bytes.set(smsc, 0);
    let i = smsc.length;
    bytes[i++] = layout.udh.length === 0 ? first : first | UDHI;
    bytes.set(originator, i);
    i += originator.length;
    bytes[i++] = pid;
    bytes[i++] = dcs;
    bytes.set(scts, i);
    i += SCTS_LENGTH;
    writeUserData(bytes, i, layout, part.payload, septets);
    return { hex: toHex(bytes), bytes, tpduLength: bytes.length - smsc.length, seq: part.seq };
  });
}

export interface StatusReportOptions {
  /** TP-MR of the SMS-SUBMIT reported on. */
  readonly messageReference: number;
  /** TP-RA: the recipient of that message. */
  readonly recipient: string;
  readonly scts: Date;
  /** TP-DT. */
  readonly discharge: Date;
  /** TP-ST (0x00 delivered; see tpStatusMeaning). */
  readonly status: number;
  readonly tzQuarterHours?: number;
  readonly moreMessagesToSend?: boolean;
  readonly smsc?: string;
}

export function buildStatusReportPdu(options: StatusReportOptions): PduHex {
  const smsc = encodeSmscAddress(options.smsc);
  const recipient = encodeTpAddress(options.recipient, 'TP-RA');
  const tz = options.tzQuarterHours ?? 0;
  const scts = encodeScts(options.scts, tz);
  const discharge = encodeScts(options.discharge, tz);
  const bytes = new Uint8Array(smsc.length + 2 + recipient.length + 2 * SCTS_LENGTH + 1);
  bytes.set(smsc, 0);
  let i = smsc.length;
  bytes[i++] = MTI_STATUS_REPORT | (options.moreMessagesToSend === true ? 0 : NO_MORE_MESSAGES);
  bytes[i++] = octet(options.messageReference, 'TP-MR');
  bytes.set(recipient, i);
  i += recipient.length;
  bytes.set(scts, i);
  i += SCTS_LENGTH;
  bytes.set(discharge, i);
  i += SCTS_LENGTH;
  bytes[i] = octet(options.status, 'TP-ST');
  return { hex: toHex(bytes), bytes, tpduLength: bytes.length - smsc.length, seq: 1 };
}
