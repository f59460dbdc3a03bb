import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  encodeBinary,
  encodeText,
  fromSmppFields,
  toSmppParts,
  type EncodedMessage,
  type SmppPartFields,
} from '../../../drivers/codec/index.ts';

const hex = (octets: Uint8Array): string => Buffer.from(octets).toString('hex');

function inbound(part: SmppPartFields) {
  return fromSmppFields({
    esmClass: part.esmClass,
    dataCoding: part.dataCoding,
    shortMessage: part.shortMessage,
    ...(part.messagePayload ? { messagePayload: part.messagePayload } : {}),
    ...(part.sar ? { sar: part.sar } : {}),
  });
}

function roundTrip(message: EncodedMessage, form: 'udh' | 'sar' | 'payload'): string {
  const parts = toSmppParts(message, form, { gsmDataCoding: 0x00 });
  const decoded = parts.map(inbound);
  const ordered = [...decoded].sort((x, y) => (x.concat?.seq ?? 1) - (y.concat?.seq ?? 1));
  return ordered.map((d) => d.text).join('');
}

describe('SMPP carriage forms (SMPP 3.4 5.2.12, 5.3.2.22-24, 5.3.2.32)', () => {
  const long = encodeText('x'.repeat(200), { concatRef: 0x42 });

  test('udh: UDH + septets in short_message, UDHI set', () => {
    const parts = toSmppParts(long, 'udh', { gsmDataCoding: 0x00 });
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => [p.esmClass, p.dataCoding, p.shortMessage.length, p.sar, p.messagePayload])).toEqual([
      [0x40, 0x00, 6 + 153, undefined, undefined],
      [0x40, 0x00, 6 + 47, undefined, undefined],
    ]);
    expect(hex(parts[1]?.shortMessage.subarray(0, 7) ?? new Uint8Array())).toBe('05000342020278');
  });

  test('sar: payload only, SAR TLV values, no UDHI', () => {
    const parts = toSmppParts(long, 'sar', { gsmDataCoding: 0x00 });
    expect(parts.map((p) => [p.esmClass, p.shortMessage.length, p.sar])).toEqual([
      [0, 153, { msgRefNum: 0x42, totalSegments: 2, segmentSeqnum: 1 }],
      [0, 47, { msgRefNum: 0x42, totalSegments: 2, segmentSeqnum: 2 }],
    ]);
  });

  test('payload: one PDU, empty short_message, the whole message without concatenation UDH', () => {
    const parts = toSmppParts(long, 'payload', { gsmDataCoding: 0x00 });
    expect(parts).toHaveLength(1);
    expect([parts[0]?.shortMessage.length, parts[0]?.esmClass, parts[0]?.messagePayload?.length]).toEqual([0, 0, 200]);
  });

  test('single part: no UDH and no SAR in any form', () => {
    const short = encodeText('hello');
    for (const form of ['udh', 'sar'] as const) {
      const [part] = toSmppParts(short, form, { gsmDataCoding: 0x00 });
      expect([part?.esmClass, hex(part?.shortMessage ?? new Uint8Array()), part?.sar]).toEqual([0, '68656c6c6f', undefined]);
    }
  });

  test('national shift tables travel in a UDH in every form', () => {
    const turkish = encodeText('Şişli çok güzel. '.repeat(12), { shiftTables: ['turkish'] });
    expect(turkish.parts.length).toBeGreaterThan(1);
    for (const form of ['udh', 'sar', 'payload'] as const) {
      const parts = toSmppParts(turkish, form, { gsmDataCoding: 0x00 });
      for (const part of parts) expect(part.esmClass).toBe(0x40);
      expect(roundTrip(turkish, form)).toBe(turkish.text);
    }
  });

  test('UCS-2 and flash class', () => {
    const m = encodeText('日本語😀'.repeat(30));
    const parts = toSmppParts(m, 'udh', { gsmDataCoding: 0x00, messageClass: 0 });
    expect(parts.every((p) => p.dataCoding === 0x18)).toBe(true);
    expect(parts.map(inbound).map((d) => d.text).join('')).toBe(m.text);
  });

  test('binary with a caller UDH keeps it in every form', () => {
    const port = { iei: 0x05, data: Uint8Array.of(0x0b, 0x84, 0x23, 0xf0) };
    const m = encodeBinary(Uint8Array.from({ length: 300 }, (_, i) => i & 0xff), { udh: [port] });
    for (const form of ['udh', 'sar', 'payload'] as const) {
      const parts = toSmppParts(m, form, { gsmDataCoding: 0x00 });
      const decoded = parts.map(inbound);
      for (const d of decoded) expect(d.udh.some((e) => e.iei === 0x05)).toBe(true);
      expect(Buffer.concat(decoded.map((d) => d.binary ?? new Uint8Array()))).toEqual(Buffer.from(Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)));
      expect(parts.every((p) => p.dataCoding === 0x04)).toBe(true);
    }
  });

  test('gsmDataCoding 0x01 sends IA5 octets (@ is 0x40, not septet 0x00)', () => {
    const [part] = toSmppParts(encodeText('a@b$_{'), 'udh', { gsmDataCoding: 0x01 });
    expect([part?.dataCoding, hex(part?.shortMessage ?? new Uint8Array())]).toEqual([0x01, '614062245f7b']);
    expect(() => toSmppParts(encodeText('café'), 'udh', { gsmDataCoding: 0x01 })).toThrow(expect.objectContaining({ code: 'CODEC_NOT_IA5' }));
  });

  test('CODEC_PAYLOAD_TOO_LONG for a short_message over 254 octets', () => {
    const oversized: EncodedMessage = {
      ...encodeText('x'),
      parts: [{ seq: 1, text: '', payload: new Uint8Array(255), units: 255, udh: [] }],
    };
    expect(() => toSmppParts(oversized, 'sar', { gsmDataCoding: 0x00 })).toThrow(
      expect.objectContaining({ code: 'CODEC_PAYLOAD_TOO_LONG' }),
    );
  });

  test('CODEC_INVALID_OPTION for an unknown form', () => {
    expect(() => toSmppParts(long, 'tlv' as 'udh', { gsmDataCoding: 0x00 })).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_OPTION' }));
  });

  test('round trip through every form for random texts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500, size: 'max' }), fc.constantFrom('udh' as const, 'sar' as const, 'payload' as const), (text, form) => {
        const m = encodeText(text, { maxParts: 255 });
        expect(roundTrip(m, form)).toBe(text);
      }),
      { numRuns: 150 },
    );
  });
});

describe('fromSmppFields', () => {
  test('SAR concatenation becomes a 16-bit reference', () => {
    const d = fromSmppFields({ esmClass: 0, dataCoding: 0, shortMessage: Uint8Array.of(0x61), sar: { msgRefNum: 300, totalSegments: 3, segmentSeqnum: 2 } });
    expect(d.concat).toEqual({ ref: 300, total: 3, seq: 2, refSize: 16 });
  });

  test('a SAR sequence outside 1..total is ignored', () => {
    const d = fromSmppFields({ esmClass: 0, dataCoding: 0, shortMessage: Uint8Array.of(0x61), sar: { msgRefNum: 1, totalSegments: 2, segmentSeqnum: 0 } });
    expect(d.concat).toBeUndefined();
  });

  test('message_payload wins over short_message', () => {
    const d = fromSmppFields({ esmClass: 0, dataCoding: 0x08, shortMessage: new Uint8Array(0), messagePayload: Uint8Array.of(0x00, 0x41) });
    expect([d.text, d.encoding, d.alphabet]).toEqual(['A', 'ucs2', 'ucs2']);
  });

  test.each([
    ['CODEC_INVALID_UDH', { esmClass: 0x40, dataCoding: 0, shortMessage: Uint8Array.of(0x05, 0x00, 0x03) }],
    ['CODEC_UNKNOWN_DCS', { esmClass: 0, dataCoding: 0x0b, shortMessage: Uint8Array.of(0x41) }],
    ['CODEC_LONE_ESCAPE', { esmClass: 0, dataCoding: 0, shortMessage: Uint8Array.of(0x41, 0x1b) }],
    ['CODEC_ODD_UCS2_LENGTH', { esmClass: 0, dataCoding: 8, shortMessage: Uint8Array.of(0x41) }],
  ])('%s', (code, fields) => {
    expect(() => fromSmppFields(fields)).toThrow(expect.objectContaining({ code }));
  });
});
