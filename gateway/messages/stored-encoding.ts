/** The codec's parts in a JSON-safe form and back, so what was encoded at accept time is exactly what is sent. */
import { fromHex, toHex, type EncodedMessage, type NationalLanguage, type ShiftTables } from '../../drivers/codec/index.ts';
import type { StoredEncoding } from './message-record.ts';

export function toStoredEncoding(message: EncodedMessage): StoredEncoding {
  return {
    encoding: message.encoding,
    shiftTables: { ...message.shiftTables },
    characters: message.characters,
    remainingInLastPart: message.remainingInLastPart,
    udhBytes: message.udhBytes,
    parts: message.parts.map((part) => ({
      seq: part.seq,
      text: part.text,
      payloadHex: toHex(part.payload),
      units: part.units,
      udh: part.udh.map((element) => ({ iei: element.iei, dataHex: toHex(element.data) })),
      ...(part.concat === undefined ? {} : { concat: { ...part.concat } }),
    })),
  };
}

export function fromStoredEncoding(stored: StoredEncoding): EncodedMessage {
  const shiftTables: ShiftTables = {
    ...(stored.shiftTables.locking === undefined ? {} : { locking: stored.shiftTables.locking as NationalLanguage }),
    ...(stored.shiftTables.single === undefined ? {} : { single: stored.shiftTables.single as NationalLanguage }),
  };
  return {
    encoding: stored.encoding,
    shiftTables,
    text: stored.parts.map((part) => part.text).join(''),
    substitutions: [],
    characters: stored.characters,
    remainingInLastPart: stored.remainingInLastPart,
    udhBytes: stored.udhBytes,
    parts: stored.parts.map((part) => ({
      seq: part.seq,
      text: part.text,
      payload: fromHex(part.payloadHex),
      units: part.units,
      udh: part.udh.map((element) => ({ iei: element.iei, data: fromHex(element.dataHex) })),
      ...(part.concat === undefined ? {} : { concat: { ...part.concat } }),
    })),
  };
}
