/**
 * One received part, from the octets SMPP carried to the codec's view of it: text decoded by data_coding, the
 * concatenation info from the UDH (IEI 0x00 / 0x08) or the SAR TLVs, and which carriage form brought it.
 */
import { decodeGsm7, decodeUcs2, decodeUdh, type ConcatInfo, type Encoding, type ShiftTables } from '../../drivers/codec/index.ts';
import { ESM_CLASS } from './smpp-constants.ts';
import type { MessageFields } from './sm-body.ts';

export type Carriage = 'single' | 'udh' | 'sar' | 'payload';

export interface DecodedPart {
  readonly encoding: Encoding;
  readonly text: string;
  readonly binary?: Uint8Array;
  readonly concat?: ConcatInfo;
  readonly carriage: Carriage;
  /** Why the octets could not be read as text (the part is kept, as binary). */
  readonly decodeError?: string;
}

/** SMPP 3.4 section 5.2.19 data_coding to the codec's encodings (0xF0 class forms per 3GPP TS 23.038 clause 4). */
export function encodingOfDataCoding(dataCoding: number): Encoding | 'latin1' | 'ascii' {
  if ((dataCoding & 0xf0) === 0xf0) return (dataCoding & 0x04) === 0 ? 'gsm7' : 'binary';
  switch (dataCoding & 0x0f) {
    case 0x00:
      return 'gsm7';
    case 0x01:
      return 'ascii';
    case 0x03:
      return 'latin1';
    case 0x08:
      return 'ucs2';
    default:
      return 'binary';
  }
}

export function decodeReceivedPart(fields: MessageFields): DecodedPart {
  const fromPayload = fields.messagePayload !== undefined;
  const octets = fields.messagePayload ?? fields.shortMessage;
  let body: Uint8Array = octets;
  let concat: ConcatInfo | undefined;
  let shiftTables: ShiftTables = {};
  let decodeError: string | undefined;
  let carriage: Carriage = fromPayload ? 'payload' : 'single';
  if ((fields.esmClass & ESM_CLASS.udhi) !== 0 && octets.length > 0) {
    try {
      const udh = decodeUdh(octets);
      body = octets.subarray(udh.length);
      concat = udh.concat;
      shiftTables = udh.shiftTables;
      if (concat !== undefined) carriage = 'udh';
    } catch (error: unknown) {
      decodeError = error instanceof Error ? error.message : String(error);
    }
  }
  if (fields.sar !== undefined) {
    concat = { ref: fields.sar.ref, total: fields.sar.total, seq: fields.sar.seq, refSize: 16 };
    carriage = 'sar';
  }
  const kind = encodingOfDataCoding(fields.dataCoding);
  const withConcat = concat === undefined ? {} : { concat };
  if (decodeError === undefined) {
    try {
      switch (kind) {
        case 'gsm7':
          return { encoding: 'gsm7', text: decodeGsm7(body, shiftTables), carriage, ...withConcat };
        case 'ucs2':
          return { encoding: 'ucs2', text: decodeUcs2(body), carriage, ...withConcat };
        case 'ascii':
        case 'latin1':
          return { encoding: 'gsm7', text: Buffer.from(body).toString('latin1'), carriage, ...withConcat };
        case 'binary':
          break;
      }
    } catch (error: unknown) {
      decodeError = error instanceof Error ? error.message : String(error);
    }
  }
  return { encoding: 'binary', text: '', binary: body, carriage, ...withConcat, ...(decodeError === undefined ? {} : { decodeError }) };
}
