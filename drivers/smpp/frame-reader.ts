import { smppError } from './errors.ts';

/** SMPP 3.4 section 3.2: every PDU starts with a 4-octet command_length that counts the whole PDU. */
const HEADER_LENGTH = 16;
/** The smpp package refuses PDUs above this; so do we, before buffering them. */
export const MAX_PDU_LENGTH = 16384;

/**
 * Cuts a TCP byte stream into whole PDUs. Frames are handed out one at a time so the caller can stop
 * (backpressure) and leave the rest buffered; nothing is copied unless a PDU spans two chunks.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;

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

  /** The next whole PDU, or undefined until more octets arrive; throws SMPP_PROTOCOL on an impossible length. */
  next(): Buffer | undefined {
    const available = this.buffer.length - this.offset;
    if (available < 4) return undefined;
    const length = this.buffer.readUInt32BE(this.offset);
    if (length < HEADER_LENGTH || length > MAX_PDU_LENGTH) {
      throw smppError('SMPP_PROTOCOL', `command_length ${length} outside ${HEADER_LENGTH}..${MAX_PDU_LENGTH}`, {
        field: 'command_length',
        value: length,
      });
    }
    if (available < length) return undefined;
    const frame = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return frame;
  }
}
