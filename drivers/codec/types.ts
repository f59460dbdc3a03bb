/**
 * Shared shapes of the SMS codec. Everything here is plain data: the codec is pure (no I/O, no clock),
 * so drivers, the gateway and the simulators can all use it.
 */

/** The alphabet a message travels in (3GPP TS 23.038 clause 4). */
export type Encoding = 'gsm7' | 'ucs2' | 'binary';

/** What a caller asks for: `auto` picks the encoding that needs the fewest parts. */
export type EncodingRequest = 'auto' | Encoding;

/** National language identifiers of 3GPP TS 23.038 clause 6.2.1.2.4 (the UDH IEI 0x24 / 0x25 value). */
export type NationalLanguage =
  | 'turkish' // 1
  | 'spanish' // 2 (single shift only)
  | 'portuguese' // 3
  | 'bengali' // 4
  | 'gujarati' // 5
  | 'hindi' // 6
  | 'kannada' // 7
  | 'malayalam' // 8
  | 'oriya' // 9
  | 'punjabi' // 10
  | 'tamil' // 11
  | 'telugu' // 12
  | 'urdu'; // 13

/** The shift tables a GSM 7-bit message uses; absent means the default alphabet and extension table. */
export interface ShiftTables {
  readonly locking?: NationalLanguage;
  readonly single?: NationalLanguage;
}

/** Concatenation reference size: IEI 0x00 (8-bit) or IEI 0x08 (16-bit). */
export type ConcatRefSize = 8 | 16;

export interface ConcatInfo {
  readonly ref: number;
  readonly total: number;
  /** 1-based sequence number of this part. */
  readonly seq: number;
  readonly refSize: ConcatRefSize;
}

/** One information element of a User Data Header (3GPP TS 23.040 clause 9.2.3.24). */
export interface UdhElement {
  readonly iei: number;
  readonly data: Uint8Array;
}

export interface Substitution {
  /** The character of the original text. */
  readonly from: string;
  /** What replaced it (may be several characters, e.g. '...' for an ellipsis). */
  readonly to: string;
  /** How many times it was replaced. */
  readonly count: number;
}

export interface EncodeOptions {
  /** Default `auto`. */
  readonly encoding?: EncodingRequest;
  /** Smart transliteration of typographic characters (curly quotes, dashes, ellipsis, full-width ASCII...). */
  readonly smart?: boolean;
  /** National language shift tables the caller allows: true for all, or a list. Default none. */
  readonly shiftTables?: boolean | readonly NationalLanguage[];
  /** Refuse texts needing more parts than this (default 10, at most 255). */
  readonly maxParts?: number;
  /** Concatenation reference (0..255 for 8-bit, 0..65535 for 16-bit); the caller owns the counter. Default 0. */
  readonly concatRef?: number;
  /** Default 8. */
  readonly refSize?: ConcatRefSize;
}

/** One part of a message, ready for a transport. */
export interface SegmentPart {
  /** 1-based. */
  readonly seq: number;
  /** The text carried by this part (empty for binary). */
  readonly text: string;
  /**
   * User data without the UDH: for gsm7 the unpacked septets, one per octet, as SMPP's short_message carries them
   * (pack them for a TPDU); for ucs2 the UTF-16BE octets; for binary the raw octets.
   * Often a view into a shared buffer: whoever takes `.buffer` must honour `byteOffset` / `byteLength`.
   */
  readonly payload: Uint8Array;
  /** Septets (gsm7), UTF-16 code units (ucs2) or octets (binary) used by the text of this part. */
  readonly units: number;
  /** Information elements of this part's UDH (concatenation, national language shifts, caller-given). */
  readonly udh: readonly UdhElement[];
  readonly concat?: ConcatInfo;
}

export interface EncodedMessage {
  readonly encoding: Encoding;
  readonly shiftTables: ShiftTables;
  /** The text actually sent (after transliteration). */
  readonly text: string;
  readonly substitutions: readonly Substitution[];
  /** Characters of the text as a person counts them (Unicode code points). */
  readonly characters: number;
  readonly parts: readonly SegmentPart[];
  /** Capacity left in the last part, in that encoding's units. */
  readonly remainingInLastPart: number;
  /** UDH octets per part, including the UDHL octet (0 for a single part without shift tables). */
  readonly udhBytes: number;
}
