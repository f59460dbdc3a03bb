/**
 * Every SMS-SUBMIT we build must read the same in an independent implementation: node-pdu (npm), which decodes
 * UDH concatenation (8- and 16-bit references), GSM 7-bit with the extension table, and UCS-2.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildSubmitPdus, encodeText, type EncodeOptions } from '../../../drivers/codec/index.ts';
import { readIndependently } from './independent-reader.ts';

const CASES: readonly (readonly [string, string, EncodeOptions])[] = [
  ['GSM, one part', 'Hello from the gateway, one part only.', {}],
  ['GSM, 3 parts, 8-bit reference', 'Lorem ipsum dolor sit amet. '.repeat(15), { concatRef: 0xa7 }],
  ['GSM extension characters, escapes at boundaries', '{[€]}~^|\\'.repeat(40), { concatRef: 3 }],
  ['Japanese, 3 parts, 16-bit reference', '日本語のテキストメッセージです。'.repeat(12), { refSize: 16, concatRef: 0xbeef }],
  ['emoji, surrogate pairs at boundaries', '😀🎉👍🏽'.repeat(40), { concatRef: 250 }],
  ['mixed scripts', 'Grüße — Привет — مرحبا — 你好 — 🌍', {}],
];

describe('independent decoder (node-pdu)', () => {
  test.each(CASES)('%s', (_name, text, options) => {
    const message = encodeText(text, options);
    const pdus = buildSubmitPdus(message, { to: '+447700900123' });
    const read = readIndependently(pdus.map((pdu) => pdu.hex));
    expect(read.text).toBe(message.text);
    expect(read.to).toBe('447700900123');
    expect(read.concat).toEqual(message.parts.map((part) => (part.concat === undefined ? null : [part.concat.ref, part.concat.total, part.concat.seq])));
  });

  test('random GSM and Unicode texts', () => {
    // Without '§': node-pdu 2.1.1's default alphabet has '`' at 0x5F where TS 23.038 has '§' (its bug, not ours;
    // the round-trip tests cover '§').
    const gsm = fc.string({ unit: fc.constantFrom(...'@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ¿az{}[]~^\\|€'.split('')), minLength: 1, maxLength: 700 });
    const unicode = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }).filter((text) => !text.includes('§'));
    fc.assert(
      fc.property(fc.oneof(gsm, unicode), fc.boolean(), fc.integer({ min: 0, max: 0xffff }), (text, ref16, ref) => {
        const message = encodeText(text, { maxParts: 255, refSize: ref16 ? 16 : 8, concatRef: ref16 ? ref : ref & 0xff });
        const read = readIndependently(buildSubmitPdus(message, { to: '+15551234567' }).map((pdu) => pdu.hex));
        expect(read.text).toBe(message.text);
        expect(read.concat).toEqual(message.parts.map((part) => (part.concat === undefined ? null : [part.concat.ref, part.concat.total, part.concat.seq])));
      }),
      { numRuns: 200 },
    );
  });
});
