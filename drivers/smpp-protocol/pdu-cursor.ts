/**
 * The one reader of PDU bodies (SMPP 3.4 section 3.1 field types): Integer octets and C-Octet Strings read in field
 * order, never past the end of the PDU. It never throws: what is wrong is noted as a problem naming the field, and
 * decoding goes on where it can, so one judge per side decides (an ESME_* status in the SMSC, an error in the ESME).
 */

export type ProblemKind =
  /** The PDU ends before the field. */
  | 'missing'
  /** A C-Octet String without its NUL before the end of the PDU. */
  | 'unterminated'
  /** A C-Octet String longer than its maximum (NUL included), or short_message beyond 254 octets. */
  | 'too-long'
  /** A field that must name something is NULL (query_sm message_id). */
  | 'empty'
  /** A TLV header cut short, or a TLV value running past the end of the PDU. */
  | 'tlv-truncated'
  /** A TLV whose length does not fit its tag. */
  | 'tlv-length'
  /** short_message and message_payload both carry the message (section 5.3.2.32 allows one). */
  | 'two-carriers'
  /** One or two of the three SAR TLVs. */
  | 'sar-incomplete'
  /** A SAR segment number of 0, or beyond the total. */
  | 'sar-range'
  /** Octets after the last field of a body that has no TLVs. */
  | 'trailing'
  /** A command_id that does not answer the request it was matched to. */
  | 'unexpected';

export interface PduProblem {
  readonly field: string;
  readonly kind: ProblemKind;
}

/** Problems after which the fields that follow cannot be read. */
const FATAL: ReadonlySet<ProblemKind> = new Set<ProblemKind>(['missing', 'unterminated', 'tlv-truncated']);

export class PduCursor {
  offset: number;
  /** Noted problems in reading order; undefined while there are none (most PDUs). */
  problems: PduProblem[] | undefined;
  /** True once a problem stopped the reading: the decoded value is not complete. */
  fatal = false;

  constructor(
    readonly pdu: Buffer,
    start = 16,
  ) {
    this.offset = start;
  }

  get left(): number {
    return this.pdu.length - this.offset;
  }

  note(field: string, kind: ProblemKind): void {
    (this.problems ??= []).push({ field, kind });
    if (FATAL.has(kind)) this.fatal = true;
  }

  /** An Integer of one octet; 0 and a `missing` problem past the end. */
  octet(field: string): number {
    if (this.offset >= this.pdu.length) {
      if (!this.fatal) this.note(field, 'missing');
      return 0;
    }
    return this.pdu[this.offset++] as number;
  }

  /**
   * A C-Octet String of at most `max` octets with its NUL; the octets are latin1. Unterminated, it is the rest of the
   * PDU (noted); too long, it is read whole and noted.
   */
  cString(field: string, max: number): string {
    if (this.fatal) return '';
    const pdu = this.pdu;
    const nul = pdu.indexOf(0, this.offset);
    if (nul < 0) {
      const rest = pdu.toString('latin1', this.offset);
      this.offset = pdu.length;
      this.note(field, 'unterminated');
      return rest;
    }
    const value = pdu.toString('latin1', this.offset, nul);
    if (nul - this.offset + 1 > max) this.note(field, 'too-long');
    this.offset = nul + 1;
    return value;
  }

  /** `length` octets as a view of the PDU, or the rest of it (noted `missing`). */
  octets(field: string, length: number): Buffer {
    const end = Math.min(this.pdu.length, this.offset + length);
    if (end - this.offset < length && !this.fatal) this.note(field, 'missing');
    const value = this.pdu.subarray(this.offset, end);
    this.offset = end;
    return value;
  }
}
