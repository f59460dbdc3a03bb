/**
 * 3GPP TS 23.038 clause 4 "SMS Data Coding Scheme" (TP-DCS, TS 23.040 clause 9.2.3.10). Coding groups by the
 * high nibble:
 *   00xx  general data coding: bit 5 compressed, bit 4 "bits 1-0 carry a message class", bits 3-2 alphabet
 *         (00 GSM 7-bit, 01 8-bit data, 10 UCS-2, 11 reserved), bits 1-0 message class
 *   01xx  message marked for automatic deletion: same bits as 00xx
 *   1000-1011  reserved
 *   1100  message waiting indication, discard message, GSM 7-bit
 *   1101  message waiting indication, store message, GSM 7-bit
 *   1110  message waiting indication, store message, UCS-2
 *         (bit 3 indication active, bit 2 reserved, bits 1-0 voicemail / fax / e-mail / other)
 *   1111  data coding / message class: bit 3 reserved, bit 2 alphabet (0 GSM 7-bit, 1 8-bit), bits 1-0 class
 * Message classes: 0 flash (display, do not store), 1 ME-specific, 2 SIM-specific, 3 TE-specific.
 */
import { codecError } from './errors.ts';
import type { Encoding } from './types.ts';

export type MessageClass = 0 | 1 | 2 | 3;

export type DcsGroup = 'general' | 'auto-deletion' | 'message-waiting' | 'data-coding-class';

export const WAITING_KINDS = ['voicemail', 'fax', 'email', 'other'] as const;

export interface MessageWaiting {
  /** False for the "discard message" group (1100). */
  readonly store: boolean;
  readonly active: boolean;
  readonly kind: (typeof WAITING_KINDS)[number];
}

export interface TpDcs {
  readonly value: number;
  readonly group: DcsGroup;
  readonly encoding: Encoding;
  /** Compressed user data (TS 23.042); the codec does not decompress, so such text is returned as binary. */
  readonly compressed: boolean;
  readonly messageClass?: MessageClass;
  readonly waiting?: MessageWaiting;
}

const ALPHABET_BITS: Readonly<Record<Encoding, number>> = { gsm7: 0x00, binary: 0x04, ucs2: 0x08 };
const ALPHABETS: readonly (Encoding | undefined)[] = ['gsm7', 'binary', 'ucs2', undefined];

export interface DcsRequest {
  readonly encoding: Encoding;
  /** Class 0: shown at once, not stored. Same as `messageClass: 0`. */
  readonly flash?: boolean;
  readonly messageClass?: MessageClass;
}

/** The TP-DCS of the general data coding group for an encoding, with a message class when asked. */
export function buildDcs(request: DcsRequest): number {
  const messageClass = request.flash === true ? 0 : request.messageClass;
  const alphabet = ALPHABET_BITS[request.encoding];
  if (messageClass === undefined) return alphabet;
  if (!Number.isInteger(messageClass) || messageClass < 0 || messageClass > 3) {
    throw codecError('CODEC_INVALID_OPTION', `message class must be 0-3, got ${String(messageClass)}`, { field: 'TP-DCS', messageClass });
  }
  return 0x10 | alphabet | messageClass;
}

export function parseDcs(value: number): TpDcs {
  const group = value >> 4;
  if (group < 0x8) {
    const encoding = ALPHABETS[(value >> 2) & 0x03];
    if (encoding === undefined) throw unknownDcs(value, 'reserved alphabet');
    const dcs: TpDcs = {
      value,
      group: group < 0x4 ? 'general' : 'auto-deletion',
      encoding,
      compressed: (value & 0x20) !== 0,
    };
    return value & 0x10 ? { ...dcs, messageClass: (value & 0x03) as MessageClass } : dcs;
  }
  if (group < 0xc) throw unknownDcs(value, 'reserved coding group');
  if (group < 0xf) {
    return {
      value,
      group: 'message-waiting',
      encoding: group === 0xe ? 'ucs2' : 'gsm7',
      compressed: false,
      waiting: { store: group !== 0xc, active: (value & 0x08) !== 0, kind: WAITING_KINDS[value & 0x03] ?? 'other' },
    };
  }
  return {
    value,
    group: 'data-coding-class',
    encoding: value & 0x04 ? 'binary' : 'gsm7',
    compressed: false,
    messageClass: (value & 0x03) as MessageClass,
  };
}

function unknownDcs(value: number, reason: string): Error {
  return codecError('CODEC_UNKNOWN_DCS', `0x${value.toString(16).padStart(2, '0')}: ${reason}`, { field: 'TP-DCS', value });
}
