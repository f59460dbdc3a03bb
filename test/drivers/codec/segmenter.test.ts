import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decodeGsm7,
  decodeUcs2,
  encodeBinary,
  encodeText,
  encodeUdh,
  GSM7_DEFAULT_ALPHABET,
  GSM7_EXTENSION_TABLE,
  gsm7Length,
  LOCKING_SHIFT_TABLES,
  NATIONAL_LANGUAGE_IDS,
  SINGLE_SHIFT_TABLES,
  type EncodedMessage,
  type NationalLanguage,
  type ShiftTables,
  type EncodeOptions,
} from '../../../drivers/codec/index.ts';

const a = (n: number): string => 'a'.repeat(n);
const units = (m: EncodedMessage): number[] => m.parts.map((p) => p.units);

function caught(fn: () => unknown): { code?: unknown; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (error: unknown) {
    return error as { code?: unknown; details?: Record<string, unknown> };
  }
  throw new Error('expected a throw');
}

/** Decodes every part on its own and joins them: must give the text back. */
function joinedText(m: EncodedMessage): string {
  return m.parts.map((p) => (m.encoding === 'gsm7' ? decodeGsm7(p.payload, m.shiftTables) : decodeUcs2(p.payload))).join('');
}

// Capacities of 3GPP TS 23.040 9.2.3.24: 140 octets of user data per SMS, UDH included.
describe('segment boundaries', () => {
  test.each([
    ['GSM 160 septets: one part', a(160), {}, 'gsm7', [160], 0, 0],
    ['GSM 161: two parts of 153 + 8', a(161), {}, 'gsm7', [153, 8], 145, 6],
    ['GSM 306: two full parts', a(306), {}, 'gsm7', [153, 153], 0, 6],
    ['GSM 307: three parts', a(307), {}, 'gsm7', [153, 153, 1], 152, 6],
    ['GSM 16-bit ref 304: two parts of 152', a(304), { refSize: 16 }, 'gsm7', [152, 152], 0, 7],
    ['GSM 16-bit ref 305: three parts', a(305), { refSize: 16 }, 'gsm7', [152, 152, 1], 151, 7],
    ['GSM escape as septets 159-160: one part', a(158) + '€', {}, 'gsm7', [160], 0, 0],
    ['GSM escape crossing 160: two parts', a(159) + '€', {}, 'gsm7', [153, 8], 145, 6],
    ['GSM escape pair at 153/154 moves whole to part 2', a(152) + '€'.repeat(5), {}, 'gsm7', [152, 10], 143, 6],
    ['GSM escape right after a full part', a(153) + '€' + a(7), {}, 'gsm7', [153, 9], 144, 6],
    ['UCS-2 70: one part', '日'.repeat(70), {}, 'ucs2', [70], 0, 0],
    ['UCS-2 71: 67 + 4', '日'.repeat(71), {}, 'ucs2', [67, 4], 63, 6],
    ['UCS-2 134: two full parts', '日'.repeat(134), {}, 'ucs2', [67, 67], 0, 6],
    ['UCS-2 135: three parts', '日'.repeat(135), {}, 'ucs2', [67, 67, 1], 66, 6],
    ['UCS-2 16-bit ref 132: two parts of 66', '日'.repeat(132), { refSize: 16 }, 'ucs2', [66, 66], 0, 7],
    ['UCS-2 16-bit ref 133: three parts', '日'.repeat(133), { refSize: 16 }, 'ucs2', [66, 66, 1], 65, 7],
    ['Japanese 200 characters: three parts', 'こんにちは世界'.repeat(29).slice(0, 200), {}, 'ucs2', [67, 67, 66], 1, 6],
    ['emoji: 35 fill one part exactly', '😀'.repeat(35), {}, 'ucs2', [70], 0, 0],
    ['emoji: 36 never split, 66 + 6', '😀'.repeat(36), {}, 'ucs2', [66, 6], 61, 6],
    ['emoji straddling 67 moves to part 2', '日'.repeat(66) + '😀' + '日'.repeat(3), {}, 'ucs2', [66, 5], 62, 6],
    ['empty text: one empty part', '', {}, 'gsm7', [0], 160, 0],
  ] as [string, string, EncodeOptions, string, number[], number, number][])('%s', (_name, text, options, encoding, expected, remaining, udhBytes) => {
    const m = encodeText(text, options);
    expect(m.encoding).toBe(encoding);
    expect(units(m)).toEqual(expected);
    expect(m.remainingInLastPart).toBe(remaining);
    expect(m.udhBytes).toBe(udhBytes);
    expect(joinedText(m)).toBe(text);
    expect(m.characters).toBe([...text].length);
    for (const part of m.parts) {
      expect(encodeUdh(part.udh).length).toBe(m.parts.length === 1 ? 0 : udhBytes);
    }
  });

  test('parts carry concatenation info with the caller reference', () => {
    const m = encodeText(a(400), { concatRef: 0xab });
    expect(m.parts.map((p) => p.concat)).toEqual([1, 2, 3].map((seq) => ({ ref: 0xab, total: 3, seq, refSize: 8 })));
    expect(Buffer.from(encodeUdh(m.parts[1]?.udh ?? [])).toString('hex')).toBe('050003ab0302');
    expect(m.parts.map((p) => p.text).join('')).toBe(a(400));
  });
});

describe('encoding choice', () => {
  test.each([
    ['plain GSM', 'Hello @home {ok}', {}, 'gsm7', {}],
    ['Turkish without shift tables falls back to UCS-2', 'Şişli', {}, 'ucs2', {}],
    // Ş, i, ş, l, i: 5 septets in the Turkish locking table, 7 with the single shift table alone.
    ['Turkish with shift tables stays 7-bit (locking table, most room)', 'Şişli', { shiftTables: true }, 'gsm7', { locking: 'turkish' }],
    ['Spanish ó with the Spanish single shift table', 'canción', { shiftTables: ['spanish'] }, 'gsm7', { single: 'spanish' }],
    ['Turkish text, only Portuguese allowed: UCS-2', 'Ağaç', { shiftTables: ['portuguese'] }, 'ucs2', {}],
    ['Portuguese ã õ ê', 'Não há opções à vista, você', { shiftTables: ['portuguese'] }, 'gsm7', { locking: 'portuguese' }],
    ['forced UCS-2 for a GSM text', 'abc', { encoding: 'ucs2' }, 'ucs2', {}],
    ['Japanese', 'こんにちは', { shiftTables: true }, 'ucs2', {}],
    ['Hindi without shift tables: UCS-2', 'नमस्ते दुनिया', {}, 'ucs2', {}],
    ['Hindi with shift tables: the Hindi locking table', 'नमस्ते दुनिया', { shiftTables: true }, 'gsm7', { locking: 'hindi' }],
  ] as [string, string, EncodeOptions, string, object][])('%s', (_name, text, options, encoding, tables) => {
    const m = encodeText(text, options);
    expect(m.encoding).toBe(encoding);
    expect(m.shiftTables).toEqual(tables);
    expect(joinedText(m)).toBe(text);
  });

  test('Turkish that needs UCS-2 parts fits fewer 7-bit parts with shift tables, and the counts say so', () => {
    const text = 'Ağaç şişe ığdır, İstanbul’da çok güzel günler. '.replace('’', "'").repeat(4);
    const ucs2 = encodeText(text);
    const turkish = encodeText(text, { shiftTables: ['turkish'] });
    expect(ucs2.encoding).toBe('ucs2');
    expect(turkish.encoding).toBe('gsm7');
    expect(turkish.parts.length).toBeLessThan(ucs2.parts.length);
    const shiftOctets = (turkish.shiftTables.locking ? 3 : 0) + (turkish.shiftTables.single ? 3 : 0);
    expect(turkish.udhBytes).toBe(1 + 5 + shiftOctets);
    const capacity = Math.floor(((140 - turkish.udhBytes) * 8) / 7);
    for (const part of turkish.parts) expect(part.units).toBeLessThanOrEqual(capacity);
    expect(turkish.remainingInLastPart).toBe(capacity - (turkish.parts.at(-1)?.units ?? 0));
    expect(joinedText(turkish)).toBe(text);
  });

  test('single part with a shift table: capacity 155 septets (UDH 4 octets)', () => {
    const m = encodeText('ş' + a(153), { shiftTables: ['turkish'] });
    expect([m.parts.length, m.udhBytes, m.remainingInLastPart]).toEqual([1, 4, 155 - 154]);
    const two = encodeText('ş' + a(155), { shiftTables: ['turkish'] });
    expect([two.parts.length, two.udhBytes]).toEqual([2, 9]);
    expect(units(two)).toEqual([149, 7]);
  });

  test('forced gsm7 with characters outside every allowed table', () => {
    expect(caught(() => encodeText('abc日', { encoding: 'gsm7' }))).toMatchObject({
      code: 'CODEC_NOT_GSM7',
      details: { character: '日', index: 3 },
    });
    expect(caught(() => encodeText('Şx日', { encoding: 'gsm7', shiftTables: true }))).toMatchObject({
      code: 'CODEC_NOT_GSM7',
      details: { character: '日', index: 2 },
    });
  });
});

describe('refusals', () => {
  test.each([
    ['11 GSM parts over the default 10', a(153 * 10 + 1), {}, 11, 10, 'gsm7'],
    ['3 UCS-2 parts over 2', '日'.repeat(135), { maxParts: 2 }, 3, 2, 'ucs2'],
    ['256 parts over the hard cap', a(153 * 255 + 1), { maxParts: 255 }, 256, 255, 'gsm7'],
  ] as [string, string, EncodeOptions, number, number, string][])('CODEC_TOO_MANY_PARTS: %s', (_name, text, options, parts, maxParts, encoding) => {
    expect(caught(() => encodeText(text, options))).toMatchObject({ code: 'CODEC_TOO_MANY_PARTS', details: { parts, maxParts, encoding } });
  });

  test('255 parts are allowed when asked for', () => {
    expect(encodeText(a(153 * 255), { maxParts: 255 }).parts).toHaveLength(255);
  });

  test.each([
    ['maxParts 0', { maxParts: 0 }],
    ['maxParts 256', { maxParts: 256 }],
    ['maxParts 1.5', { maxParts: 1.5 }],
    ['concatRef 256 with 8-bit refs', { concatRef: 256 }],
    ['concatRef -1', { concatRef: -1 }],
    ['refSize 7', { refSize: 7 }],
    ['encoding binary', { encoding: 'binary' }],
    ['encoding latin1', { encoding: 'latin1' }],
    ['unknown language', { shiftTables: ['klingon'] }],
  ] as unknown as [string, EncodeOptions][])('CODEC_INVALID_OPTION: %s', (_name, options) => {
    expect(caught(() => encodeText(a(200) + 'ğ', options)).code).toBe('CODEC_INVALID_OPTION');
  });

  test('CODEC_UNPAIRED_SURROGATE names the index', () => {
    expect(caught(() => encodeText('ok \ud83d'))).toMatchObject({ code: 'CODEC_UNPAIRED_SURROGATE', details: { index: 3 } });
  });
});

describe('binary', () => {
  const port = { iei: 0x05, data: Uint8Array.of(0x0b, 0x84, 0x23, 0xf0) }; // application port addressing, 16-bit

  test.each([
    ['140 octets: one part', 140, {}, [140], 0],
    ['141 octets: 134 + 7', 141, {}, [134, 7], 6],
    ['16-bit reference: 133 per part', 300, { refSize: 16 }, [133, 133, 34], 7],
    ['caller UDH of 7 octets: 133 in one part', 133, { udh: [port] }, [133], 7],
    ['caller UDH + concatenation: 128 per part', 134, { udh: [port] }, [128, 6], 12],
  ] as [string, number, Parameters<typeof encodeBinary>[1], number[], number][])('%s', (_name, length, options, expected, udhBytes) => {
    const payload = Uint8Array.from({ length }, (_, i) => i & 0xff);
    const m = encodeBinary(payload, options);
    expect(m.encoding).toBe('binary');
    expect(units(m)).toEqual(expected);
    expect(m.udhBytes).toBe(udhBytes);
    const joined = Buffer.concat(m.parts.map((p) => p.payload));
    expect(Buffer.compare(joined, Buffer.from(payload))).toBe(0);
    for (const part of m.parts) {
      expect(part.payload.length + encodeUdh(part.udh).length).toBeLessThanOrEqual(140);
      if (options?.udh) expect(part.udh.some((e) => e.iei === 0x05)).toBe(true);
    }
  });

  test('too many binary parts', () => {
    expect(caught(() => encodeBinary(new Uint8Array(134 * 3 + 1), { maxParts: 3 }))).toMatchObject({
      code: 'CODEC_TOO_MANY_PARTS',
      details: { parts: 4, maxParts: 3 },
    });
  });

  test('a caller concatenation element cannot be split again', () => {
    const concat = { iei: 0x00, data: Uint8Array.of(1, 2, 1) };
    expect(caught(() => encodeBinary(new Uint8Array(200), { udh: [concat] })).code).toBe('CODEC_PAYLOAD_TOO_LONG');
  });
});

// Independent minimum: fill parts greedily character by character with the spec's capacities.
function greedyParts(costs: readonly number[], single: number, multi: number): number {
  const total = costs.reduce((s, c) => s + c, 0);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multi) {
      parts++;
      used = 0;
    }
    used += cost;
  }
  return parts;
}

describe('segmentation properties', () => {
  const defaultChars = [...GSM7_DEFAULT_ALPHABET].filter((c) => c !== '\u001b');
  const extensionChars = Object.values(GSM7_EXTENSION_TABLE);
  const gsmText = fc
    .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...defaultChars) }, { weight: 1, arbitrary: fc.constantFrom(...extensionChars) }), {
      maxLength: 1200,
      size: 'max',
    })
    .map((chars) => chars.join(''));

  test('GSM texts: 7-bit, minimum part count, nothing split, nothing over 140 octets, text back', () => {
    fc.assert(
      fc.property(gsmText, fc.constantFrom<8 | 16>(8, 16), (text, refSize) => {
        const m = encodeText(text, { maxParts: 255, refSize });
        expect(m.encoding).toBe('gsm7');
        const costs = [...text].map((c) => (extensionChars.includes(c) ? 2 : 1));
        expect(m.parts.length).toBe(greedyParts(costs, 160, refSize === 8 ? 153 : 152));
        for (const part of m.parts) {
          const udhOctets = encodeUdh(part.udh).length;
          // In a TPDU the septets follow the UDH from the next septet boundary (fill bits): 140 octets at most.
          const totalSeptets = Math.ceil((udhOctets * 8) / 7) + part.units;
          expect(Math.ceil((totalSeptets * 7) / 8)).toBeLessThanOrEqual(140);
          expect(part.units).toBeLessThanOrEqual(Math.floor(((140 - udhOctets) * 8) / 7));
          expect(part.payload.at(-1)).not.toBe(0x1b);
          expect(decodeGsm7(part.payload)).toBe(part.text);
        }
        expect(joinedText(m)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  test('any Unicode text: minimum part count for the chosen encoding, no split surrogate, text back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 700, size: 'max' }), (text) => {
        const m = encodeText(text, { maxParts: 255 });
        if (m.encoding === 'ucs2') {
          const costs = [...text].map((c) => c.length);
          expect(m.parts.length).toBe(greedyParts(costs, 70, 67));
          for (const part of m.parts) {
            expect(part.payload.length + encodeUdh(part.udh).length).toBeLessThanOrEqual(140);
            const last = part.text.charCodeAt(part.text.length - 1);
            expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
            expect(decodeUcs2(part.payload)).toBe(part.text);
          }
        }
        expect(joinedText(m)).toBe(text);
        expect(m.characters).toBe([...text].length);
      }),
      { numRuns: 200 },
    );
  });

  test('emoji-heavy texts never split a surrogate pair', () => {
    const emojiText = fc.array(fc.constantFrom('😀', '👍', 'a', '日', '🇫'), { maxLength: 400, size: 'max' }).map((l) => l.join(''));
    fc.assert(
      fc.property(emojiText, (text) => {
        const m = encodeText(text, { maxParts: 255 });
        for (const part of m.parts) {
          const first = part.text.charCodeAt(0);
          expect(first >= 0xdc00 && first <= 0xdfff).toBe(false);
        }
        expect(joinedText(m)).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  test('Turkish texts with shift tables: 7-bit, parts within the capacity their UDH leaves, text back', () => {
    const turkishText = fc.array(fc.constantFrom(...'abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ .,{€'), { maxLength: 700, size: 'max' }).map((l) => l.join(''));
    fc.assert(
      fc.property(turkishText, (text) => {
        const m = encodeText(text, { maxParts: 255, shiftTables: ['turkish'] });
        expect(m.encoding).toBe('gsm7');
        for (const part of m.parts) {
          expect(encodeUdh(part.udh).length).toBe(m.udhBytes);
          expect(part.units).toBeLessThanOrEqual(Math.floor(((140 - m.udhBytes) * 8) / 7));
          expect(part.payload.at(-1)).not.toBe(0x1b);
        }
        expect(joinedText(m)).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  test('with every shift table allowed, the part count is the minimum over all table pairs (brute force)', () => {
    const languages = Object.keys(NATIONAL_LANGUAGE_IDS) as NationalLanguage[];
    const pairs: ShiftTables[] = [];
    for (const locking of [undefined, ...languages.filter((l) => LOCKING_SHIFT_TABLES[l] !== undefined)]) {
      for (const single of [undefined, ...languages.filter((l) => SINGLE_SHIFT_TABLES[l] !== undefined)]) {
        pairs.push({ ...(locking ? { locking } : {}), ...(single ? { single } : {}) });
      }
    }
    // Palettes mixing characters of several tables, so that different pairs win; sometimes one outsider.
    const palettes = [
      'aeiou xyz.,çğışİŞĞ€{}',
      'aeiou xyz.,ãõáíóúêâÁÍÓÚÇç€[]~',
      'aeiou.,çñáíóúÁÍÓÚ^|',
      'aeiouxyz ğşãõç€\\',
      'नमस्ते .,१२३abc{}',
      'কখগ .,০১২abc',
      'aeiou ğşã日',
    ];
    const mixed = fc
      .constantFrom(...palettes)
      .chain((palette) => fc.array(fc.constantFrom(...palette), { maxLength: 1000, size: 'max' }))
      .map((l) => l.join(''));
    fc.assert(
      fc.property(mixed, (text) => {
        let minimum = Infinity;
        for (const tables of pairs) {
          const costs = [...text].map((c) => gsm7Length(c, tables));
          if (costs.some((c) => c === undefined)) continue;
          const shiftOctets = (tables.locking ? 3 : 0) + (tables.single ? 3 : 0);
          const single = Math.floor(((140 - (shiftOctets ? 1 + shiftOctets : 0)) * 8) / 7);
          const multi = Math.floor(((140 - 6 - shiftOctets) * 8) / 7);
          minimum = Math.min(minimum, greedyParts(costs as number[], single, multi));
        }
        const m = encodeText(text, { maxParts: 255, shiftTables: true });
        if (minimum === Infinity) {
          expect(m.encoding).toBe('ucs2');
        } else if (m.encoding === 'gsm7') {
          expect(m.parts.length).toBe(minimum);
          expect(joinedText(m)).toBe(text);
        } else {
          expect(m.parts.length).toBeLessThan(minimum);
        }
      }),
      { numRuns: 40 },
    );
  });
});
