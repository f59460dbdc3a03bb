/**
 * 3GPP TS 23.040 clause 9.2.2 PDU type repertoire, decoded (optionally after the SMSC information of TS 27.005
 * clause 3.1 that +CMGL / +CMGR / +CMT print in PDU mode). TP-MTI (bits 1-0 of the first octet) means, by
 * direction (clause 9.2.3.1):
 *            SC -> MS ('mt')          MS -> SC ('mo')
 *   00       SMS-DELIVER              SMS-DELIVER-REPORT
 *   01       SMS-SUBMIT-REPORT        SMS-SUBMIT
 *   10       SMS-STATUS-REPORT        SMS-COMMAND
 *   11       reserved                 reserved
 * Decoded here: SMS-DELIVER and SMS-STATUS-REPORT ('mt'), SMS-SUBMIT ('mo'); the others are
 * CODEC_UNSUPPORTED_PDU_TYPE.
 *
 * Clause 9.2.2.1 SMS-DELIVER: first octet (MTI, MMS bit 2, LP bit 3, SRI bit 5, UDHI bit 6, RP bit 7), TP-OA,
 *   TP-PID, TP-DCS, TP-SCTS, TP-UDL, TP-UD.
 * Clause 9.2.2.2 SMS-SUBMIT: first octet (MTI, RD bit 2, VPF bits 4-3, SRR bit 5, UDHI bit 6, RP bit 7), TP-MR,
 *   TP-DA, TP-PID, TP-DCS, TP-VP (0, 1 or 7 octets by VPF), TP-UDL, TP-UD.
 * Clause 9.2.2.3 SMS-STATUS-REPORT: first octet (MTI, MMS bit 2, LP bit 3, SRQ bit 5, UDHI bit 6), TP-MR, TP-RA,
 *   TP-SCTS, TP-DT, TP-ST, then optionally TP-PI (bit 0 PID, bit 1 DCS, bit 2 UDL follow) and those fields.
 * TP-UD (clause 9.2.3.24): with UDHI a UDH (UDHL and information elements) first; for GSM 7-bit, TP-UDL counts
 * septets including the UDH and its fill bits, otherwise octets. The text is decoded with the national shift
 * tables the UDH announces.
 */
import { CodecError, codecError } from './errors.ts';
import { decodeGsm7 } from './gsm7.ts';
import { fromHex } from './hex.ts';
import type { ReceiptState } from './receipt-state.ts';
import { fillBitsAfterUdh, packedLength, unpackSeptets } from './septet-packing.ts';
import { parseDcs, type TpDcs } from './tp-dcs.ts';
import { tpStatusMeaning, type TpStatusCategory } from './tp-status.ts';
import { decodeSmscAddress, decodeTpAddress, type TpAddress } from './tpdu-address.ts';
import { decodeScts, relativeValidityMinutes, SCTS_LENGTH, type ServiceCentreTime } from './tpdu-time.ts';
import { decodeUcs2 } from './ucs2.ts';
import { decodeUdh } from './udh.ts';
import type { ConcatInfo, Encoding, ShiftTables, UdhElement } from './types.ts';

export type PduDirection = 'mt' | 'mo';

export interface DecodeTpduOptions {
  /** True when the hex starts with the SMSC information (as AT+CMGS takes and +CMGL prints). */
  readonly withSmsc: boolean;
  /** 'mt' (default): what a modem receives from the SC. 'mo': what a modem sends (SMS-SUBMIT). */
  readonly direction?: PduDirection;
}

export interface TpduUserData {
  /** TP-UDL as sent: septets for GSM 7-bit (UDH and fill included), octets otherwise. */
  readonly udl: number;
  readonly udh: readonly UdhElement[];
  /** UDH octets including UDHL, 0 without UDHI. */
  readonly udhLength: number;
  readonly concat?: ConcatInfo;
  readonly shiftTables: ShiftTables;
  /** How the text is carried; 'binary' also for compressed data, which is not decompressed. */
  readonly encoding: Encoding;
  /** Decoded text; empty for binary. */
  readonly text: string;
  /** User data after the UDH: unpacked septets (GSM 7-bit), UTF-16BE octets (UCS-2) or raw octets. */
  readonly payload: Uint8Array;
}

interface PduBase {
  /** The SMSC information when decoded `withSmsc`; undefined for the `00` form or without it. */
  readonly smsc?: TpAddress;
  /** Octets of the TPDU (after the SMSC information). */
  readonly tpduLength: number;
  readonly firstOctet: number;
}

export interface SmsDeliver extends PduBase {
  readonly type: 'deliver';
  /** TP-MMS inverted: true when the SC has more messages waiting. */
  readonly moreMessagesToSend: boolean;
  readonly loopPrevention: boolean;
  readonly statusReportIndication: boolean;
  readonly replyPath: boolean;
  readonly originator: TpAddress;
  readonly pid: number;
  readonly dcs: TpDcs;
  readonly scts: ServiceCentreTime;
  readonly userData: TpduUserData;
}

export type SubmitValidity =
  | { readonly format: 'relative'; readonly vp: number; readonly minutes: number }
  | { readonly format: 'absolute'; readonly time: ServiceCentreTime }
  | { readonly format: 'enhanced'; readonly octets: Uint8Array };

export interface SmsSubmit extends PduBase {
  readonly type: 'submit';
  readonly rejectDuplicates: boolean;
  readonly statusReportRequest: boolean;
  readonly replyPath: boolean;
  readonly messageReference: number;
  readonly destination: TpAddress;
  readonly pid: number;
  readonly dcs: TpDcs;
  readonly validity?: SubmitValidity;
  readonly userData: TpduUserData;
}

export interface TpStatus {
  readonly value: number;
  readonly category: TpStatusCategory;
  readonly state: ReceiptState;
  readonly final: boolean;
  readonly description: string;
}

export interface SmsStatusReport extends PduBase {
  readonly type: 'status-report';
  readonly moreMessagesToSend: boolean;
  readonly loopPrevention: boolean;
  /** TP-SRQ: true when this reports on an SMS-COMMAND rather than an SMS-SUBMIT. */
  readonly statusReportQualifier: boolean;
  /** TP-MR of the SMS-SUBMIT this reports on (the number +CMGS answered). */
  readonly messageReference: number;
  readonly recipient: TpAddress;
  readonly scts: ServiceCentreTime;
  /** TP-DT: when the SC delivered the message or last tried / gave up. */
  readonly discharge: ServiceCentreTime;
  readonly status: TpStatus;
  readonly pid?: number;
  readonly dcs?: TpDcs;
  readonly userData?: TpduUserData;
  /** Octets after TP-ST that did not parse as TP-PI and its fields (seen from some modems), kept as they came. */
  readonly trailer?: Uint8Array;
}

export type DecodedTpdu = SmsDeliver | SmsSubmit | SmsStatusReport;

const NO_SHIFT: ShiftTables = {};
const NO_ELEMENTS: readonly UdhElement[] = [];

function truncated(field: string, offset: number, length: number): Error {
  return codecError('CODEC_TRUNCATED_PDU', `${field} at octet ${offset} runs past the end (${length} octets)`, { field, offset, length });
}

function octetAt(bytes: Uint8Array, offset: number, field: string): number {
  if (offset >= bytes.length) throw truncated(field, offset, bytes.length);
  return bytes[offset] as number;
}

export function decodeTpdu(input: string | Uint8Array, options: DecodeTpduOptions): DecodedTpdu {
  const all = typeof input === 'string' ? fromHex(input) : input;
  let smsc: TpAddress | undefined;
  let start = 0;
  if (options.withSmsc) {
    const read = decodeSmscAddress(all);
    smsc = read.address;
    start = read.next;
  }
  const bytes = all.subarray(start);
  const first = octetAt(bytes, 0, 'first octet');
  const mti = first & 0x03;
  const direction = options.direction ?? 'mt';
  const base = { smsc, tpduLength: bytes.length, firstOctet: first };
  if (direction === 'mt' && mti === 0) return decodeDeliver(bytes, base);
  if (direction === 'mt' && mti === 2) return decodeStatusReport(bytes, base);
  if (direction === 'mo' && mti === 1) return decodeSubmit(bytes, base);
  const names = direction === 'mt' ? ['SMS-DELIVER', 'SMS-SUBMIT-REPORT', 'SMS-STATUS-REPORT', 'reserved'] : ['SMS-DELIVER-REPORT', 'SMS-SUBMIT', 'SMS-COMMAND', 'reserved'];
  throw codecError('CODEC_UNSUPPORTED_PDU_TYPE', `${names[mti] ?? 'reserved'} (TP-MTI ${mti}, direction ${direction})`, {
    field: 'TP-MTI',
    mti,
    direction,
  });
}

function decodeDeliver(bytes: Uint8Array, base: PduBase): SmsDeliver {
  const first = base.firstOctet;
  const oa = decodeTpAddress(bytes, 1, 'TP-OA');
  let i = oa.next;
  const pid = octetAt(bytes, i++, 'TP-PID');
  const dcs = parseDcs(octetAt(bytes, i++, 'TP-DCS'));
  const scts = decodeScts(bytes, i, 'TP-SCTS');
  i += SCTS_LENGTH;
  const userData = decodeUserData(bytes, i, dcs, (first & 0x40) !== 0);
  return {
    type: 'deliver',
    ...base,
    moreMessagesToSend: (first & 0x04) === 0,
    loopPrevention: (first & 0x08) !== 0,
    statusReportIndication: (first & 0x20) !== 0,
    replyPath: (first & 0x80) !== 0,
    originator: oa.address,
    pid,
    dcs,
    scts,
    userData,
  };
}

function decodeSubmit(bytes: Uint8Array, base: PduBase): SmsSubmit {
  const first = base.firstOctet;
  const messageReference = octetAt(bytes, 1, 'TP-MR');
  const da = decodeTpAddress(bytes, 2, 'TP-DA');
  let i = da.next;
  const pid = octetAt(bytes, i++, 'TP-PID');
  const dcs = parseDcs(octetAt(bytes, i++, 'TP-DCS'));
  let validity: SubmitValidity | undefined;
  switch ((first >> 3) & 0x03) {
    case 0b10: {
      const vp = octetAt(bytes, i++, 'TP-VP');
      validity = { format: 'relative', vp, minutes: relativeValidityMinutes(vp) };
      break;
    }
    case 0b11:
      validity = { format: 'absolute', time: decodeScts(bytes, i, 'TP-VP') };
      i += SCTS_LENGTH;
      break;
    case 0b01:
      if (i + 7 > bytes.length) throw truncated('TP-VP', i, bytes.length);
      validity = { format: 'enhanced', octets: bytes.slice(i, i + 7) };
      i += 7;
      break;
    default:
      break;
  }
  const userData = decodeUserData(bytes, i, dcs, (first & 0x40) !== 0);
  const submit: SmsSubmit = {
    type: 'submit',
    ...base,
    rejectDuplicates: (first & 0x04) !== 0,
    statusReportRequest: (first & 0x20) !== 0,
    replyPath: (first & 0x80) !== 0,
    messageReference,
    destination: da.address,
    pid,
    dcs,
    userData,
  };
  return validity === undefined ? submit : { ...submit, validity };
}

function decodeStatusReport(bytes: Uint8Array, base: PduBase): SmsStatusReport {
  const first = base.firstOctet;
  const messageReference = octetAt(bytes, 1, 'TP-MR');
  const ra = decodeTpAddress(bytes, 2, 'TP-RA');
  let i = ra.next;
  const scts = decodeScts(bytes, i, 'TP-SCTS');
  i += SCTS_LENGTH;
  const discharge = decodeScts(bytes, i, 'TP-DT');
  i += SCTS_LENGTH;
  const status = tpStatusMeaning(octetAt(bytes, i++, 'TP-ST'));
  const report: SmsStatusReport = {
    type: 'status-report',
    ...base,
    moreMessagesToSend: (first & 0x04) === 0,
    loopPrevention: (first & 0x08) !== 0,
    statusReportQualifier: (first & 0x20) !== 0,
    messageReference,
    recipient: ra.address,
    scts,
    discharge,
    status,
  };
  // TP-PI and what it announces are optional; many SCs end the report at TP-ST.
  if (i >= bytes.length) return report;
  try {
    return { ...report, ...decodeReportOptionals(bytes, i, first) };
  } catch (error) {
    // The status is what a report is for: octets after TP-ST that do not parse are kept raw, not fatal.
    if (!(error instanceof CodecError)) throw error;
    return { ...report, trailer: bytes.slice(i) };
  }
}

function decodeReportOptionals(bytes: Uint8Array, offset: number, first: number): Partial<SmsStatusReport> {
  let i = offset;
  const pi = bytes[i++] as number;
  // Clause 9.2.3.27: an extension bit chains further PI octets, whose bits are all reserved.
  let last = pi;
  while (last & 0x80) last = octetAt(bytes, i++, 'TP-PI');
  const pid = pi & 0x01 ? octetAt(bytes, i++, 'TP-PID') : undefined;
  const dcs = pi & 0x02 ? parseDcs(octetAt(bytes, i++, 'TP-DCS')) : undefined;
  const userData = pi & 0x04 ? decodeUserData(bytes, i, dcs ?? parseDcs(0), (first & 0x40) !== 0) : undefined;
  return {
    ...(pid === undefined ? {} : { pid }),
    ...(dcs === undefined ? {} : { dcs }),
    ...(userData === undefined ? {} : { userData }),
  };
}

function decodeUserData(bytes: Uint8Array, offset: number, dcs: TpDcs, udhi: boolean): TpduUserData {
  const udl = octetAt(bytes, offset, 'TP-UDL');
  const ud = bytes.subarray(offset + 1);
  const encoding: Encoding = dcs.compressed ? 'binary' : dcs.encoding;
  const septets = !dcs.compressed && dcs.encoding === 'gsm7';
  const udOctets = septets ? packedLength(udl) : udl;
  if (udOctets > ud.length) {
    throw codecError('CODEC_UDL_BEYOND_DATA', `TP-UDL ${udl} needs ${udOctets} octets, ${ud.length} present`, {
      field: 'TP-UDL',
      udl,
      needed: udOctets,
      present: ud.length,
    });
  }
  let udh = NO_ELEMENTS;
  let udhLength = 0;
  let concat: ConcatInfo | undefined;
  let shiftTables = NO_SHIFT;
  if (udhi && udOctets > 0) {
    const header = decodeUdh(ud.subarray(0, udOctets));
    udh = header.elements;
    udhLength = header.length;
    concat = header.concat;
    shiftTables = header.shiftTables;
  }
  let payload: Uint8Array;
  let text = '';
  if (septets) {
    const fill = udhLength === 0 ? 0 : fillBitsAfterUdh(udhLength);
    const headerSeptets = udhLength === 0 ? 0 : (udhLength * 8 + fill) / 7;
    if (headerSeptets > udl) {
      throw codecError('CODEC_INVALID_UDH', `UDH of ${udhLength} octets is longer than TP-UDL ${udl} septets`, { field: 'TP-UDHL', udl, udhLength });
    }
    payload = unpackSeptets(ud.subarray(udhLength, udOctets), udl - headerSeptets, fill);
    text = decodeGsm7(payload, shiftTables);
  } else {
    payload = ud.slice(udhLength, udOctets);
    if (encoding === 'ucs2') text = decodeUcs2(payload);
  }
  const result: TpduUserData = { udl, udh, udhLength, shiftTables, encoding, text, payload };
  return concat === undefined ? result : { ...result, concat };
}
