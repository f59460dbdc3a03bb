/**
 * SMPP 3.4 section 3.2: every PDU starts with a 4-octet command_length that counts the whole PDU, header (16 octets:
 * command_length, command_id, command_status, sequence_number) included. The frame reader cuts a byte stream into
 * whole PDUs and judges nothing but that length: an impossible one is reported as data (`problem`), and the shell
 * decides what to do about it (both shells close the connection: the stream cannot be re-synchronized).
 */

export const HEADER_LENGTH = 16;

/**
 * The largest command_length either side accepts. SMPP 3.4 sets no maximum PDU size, but message_payload (section
 * 5.3.2.32) holds up to 64 KiB - 1 octets: a data_sm carrying one has 159 octets of mandatory fields and header at
 * most, a submit_sm 364, plus 65,539 for the TLV. 70,000 leaves room for the other TLVs beside it, so an SMSC
 * accepts whatever an ESME may legally send and the driver reads whatever an SMSC may legally deliver.
 */
export const MAX_PDU_LENGTH = 70_000;

/** Why the stream cannot be read further. */
export interface FrameProblem {
  readonly field: 'command_length';
  readonly value: number;
  readonly message: string;
}

/**
 * Frames are handed out one at a time so the caller can stop (backpressure) and leave the rest buffered; nothing is
 * copied unless a PDU spans two chunks, and a frame is a view of the chunk it came in.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;
  /** Set once an impossible command_length arrived; from then on `next` gives nothing. */
  problem: FrameProblem | undefined;

  push(chunk: Buffer): void {
    if (this.offset >= this.buffer.length) {
      this.buffer = chunk;
    } else {
      this.buffer = Buffer.concat([this.buffer.subarray(this.offset), chunk]);
    }
    this.offset = 0;
  }

  /** Octets received and not yet handed out as a frame. */
  get buffered(): number {
    return this.buffer.length - this.offset;
  }

  /** The next whole PDU, or undefined until more octets arrive (or for good, once `problem` is set). */
  next(): Buffer | undefined {
    if (this.problem !== undefined) return undefined;
    const available = this.buffer.length - this.offset;
    if (available < 4) return undefined;
    const length = this.buffer.readUInt32BE(this.offset);
    if (length < HEADER_LENGTH || length > MAX_PDU_LENGTH) {
      this.problem = { field: 'command_length', value: length, message: `command_length ${length} outside ${HEADER_LENGTH}..${MAX_PDU_LENGTH}` };
      return undefined;
    }
    if (available < length) return undefined;
    const frame = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return frame;
  }
}
