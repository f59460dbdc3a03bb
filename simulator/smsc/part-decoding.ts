/**
 * One received part, from the octets SMPP carried to the codec's view of it (`fromSmppFields`): text decoded by
 * data_coding, the concatenation info from the UDH (IEI 0x00 / 0x08) or the SAR TLVs, and which carriage form
 * brought it. Octets the codec cannot read are kept as binary with the reason, never dropped.
 */
import { fromSmppFields, type ConcatInfo, type Encoding } from '../../drivers/codec/index.ts';
import { ESM_CLASS, type MessageBody } from '../../drivers/smpp-protocol/index.ts';

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

export function decodeReceivedPart(fields: MessageBody): DecodedPart {
  const payload = fields.messagePayload;
  try {
    const message = fromSmppFields({
      esmClass: fields.esmClass,
      dataCoding: fields.dataCoding,
      shortMessage: fields.shortMessage,
      ...(payload === undefined ? {} : { messagePayload: payload }),
      ...(fields.sar === undefined ? {} : { sar: fields.sar }),
    });
    const concat = message.concat;
    const carriage: Carriage =
      payload !== undefined && payload.length > 0
        ? 'payload'
        : concat === undefined
          ? 'single'
          : fields.sar !== undefined && (fields.esmClass & ESM_CLASS.udhi) === 0
            ? 'sar'
            : message.udh.some((e) => e.iei === 0x00 || e.iei === 0x08)
              ? 'udh'
              : 'sar';
    return {
      encoding: message.encoding,
      text: message.text,
      carriage,
      // A copy: the octets are a view into the socket's read buffer, which a record must not keep alive.
      ...(message.binary === undefined ? {} : { binary: Uint8Array.from(message.binary) }),
      ...(concat === undefined ? {} : { concat }),
    };
  } catch (error: unknown) {
    const octets = payload ?? fields.shortMessage;
    return {
      encoding: 'binary',
      text: '',
      binary: Uint8Array.from(octets),
      carriage: payload === undefined ? 'single' : 'payload',
      decodeError: error instanceof Error ? error.message : String(error),
    };
  }
}
