/**
 * 3GPP TS 23.040 clause 9.2.2.2 SMS-SUBMIT, preceded by the SMSC information of TS 27.005 clause 3.1 as
 * `AT+CMGS=<length>` takes it in PDU mode (<length> counts the TPDU only, not the SMSC part). Fields in order:
 *   first octet: TP-MTI (bits 1-0 = 01), TP-RD (bit 2), TP-VPF (bits 4-3), TP-SRR (bit 5), TP-UDHI (bit 6),
 *                TP-RP (bit 7, not used here)
 *   TP-MR   message reference (0: the ME assigns it)
 *   TP-DA   destination address (clause 9.1.2.5)
 *   TP-PID  protocol identifier (clause 9.2.3.9; 0 = plain SME-to-SME)
 *   TP-DCS  data coding scheme (TS 23.038 clause 4)
 *   TP-VP   validity period, relative format (clause 9.2.3.12.1) when TP-VPF = 10
 *   TP-UDL  septets (GSM 7-bit: UDH, fill bits and text) or octets (8-bit, UCS-2)
 *   TP-UD   UDH (clause 9.2.3.24) then, for GSM 7-bit, fill bits and the packed septets
 */
import { codecError } from './errors.ts';
import { toHex } from './hex.ts';
import { buildDcs } from './tp-dcs.ts';
import { encodeSmscAddress, encodeTpAddress } from './tpdu-address.ts';
import { encodeRelativeValidity } from './tpdu-time.ts';
import { layoutUserData, writeUserData } from './tpdu-user-data.ts';
import type { EncodedMessage } from './types.ts';

export interface SubmitOptions {
  /** Destination: '+' and digits (international), digits (national / unknown), or an alphanumeric address. */
  readonly to: string;
  /** TP-SRR: ask the SC for a status report. */
  readonly srr?: boolean;
  /** Relative validity; the smallest TP-VP at least this long is used (see `encodeRelativeValidity`). */
  readonly validityMinutes?: number;
  /**
   * TP-MR of the first part, following parts counting up from it (mod 256). Absent or 0: every part carries 0,
   * which lets the ME assign references.
   */
  readonly messageReference?: number;
  /** Class 0 (shown at once, not stored). */
  readonly flash?: boolean;
  /** TP-PID, default 0. */
  readonly pid?: number;
  /** TP-RD: the SC rejects a submit duplicating one it still holds (same TP-MR and TP-DA). */
  readonly rejectDuplicates?: boolean;
  /** SMSC number; absent: the `00` SMSC octet, the SIM's SMSC is used. */
  readonly smsc?: string;
}

export interface SubmitPdu {
  /** SMSC information and TPDU in uppercase hex, exactly what follows the `>` prompt of AT+CMGS. */
  readonly hex: string;
  readonly bytes: Uint8Array;
  /** Octets after the SMSC information: the <length> of AT+CMGS. */
  readonly tpduLength: number;
  /** 1-based part number. */
  readonly seq: number;
}

export const MTI_SUBMIT = 0x01;
const RD = 0x04;
const VPF_RELATIVE = 0x10;
const SRR = 0x20;
const UDHI = 0x40;
const SIM_SMSC = new Uint8Array([0]);

function checkOctet(value: number | undefined, field: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw codecError('CODEC_INVALID_OPTION', `${field} must be an integer 0-255, got ${value}`, { field, value });
  }
  return value;
}

/** One SMS-SUBMIT per part of `message`, in part order. */
export function buildSubmitPdus(message: EncodedMessage, options: SubmitOptions): SubmitPdu[] {
  const smsc = options.smsc === undefined ? SIM_SMSC : encodeSmscAddress(options.smsc);
  const destination = encodeTpAddress(options.to, 'TP-DA');
  const pid = checkOctet(options.pid, 'TP-PID');
  const firstReference = checkOctet(options.messageReference, 'TP-MR');
  const validity = options.validityMinutes === undefined ? undefined : encodeRelativeValidity(options.validityMinutes);
  const dcs = buildDcs({ encoding: message.encoding, flash: options.flash === true });
  const septets = message.encoding === 'gsm7';

  let firstOctet = MTI_SUBMIT;
  if (options.rejectDuplicates === true) firstOctet |= RD;
  if (validity !== undefined) firstOctet |= VPF_RELATIVE;
  if (options.srr === true) firstOctet |= SRR;
  // SMSC, first octet, MR, DA, PID, DCS, VP, UDL: everything before TP-UD.
  const headerLength = smsc.length + 2 + destination.length + 2 + (validity === undefined ? 0 : 1) + 1;

  const parts = message.parts;
  const pdus: SubmitPdu[] = new Array<SubmitPdu>(parts.length);
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const layout = layoutUserData(part, septets);
    const bytes = new Uint8Array(headerLength + layout.octets);
    bytes.set(smsc, 0);
    let i = smsc.length;
    bytes[i++] = layout.udh.length === 0 ? firstOctet : firstOctet | UDHI;
    bytes[i++] = firstReference === 0 ? 0 : (firstReference + p) & 0xff;
    bytes.set(destination, i);
    i += destination.length;
    bytes[i++] = pid;
    bytes[i++] = dcs;
    if (validity !== undefined) bytes[i++] = validity.vp;
    writeUserData(bytes, i, layout, part.payload, septets);
    pdus[p] = { hex: toHex(bytes), bytes, tpduLength: bytes.length - smsc.length, seq: part.seq };
  }
  return pdus;
}
