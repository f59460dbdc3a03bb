import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decodeGsm7,
  encodeGsm7,
  GSM7_DEFAULT_ALPHABET,
  GSM7_EXTENSION_TABLE,
  gsm7Length,
  LOCKING_SHIFT_TABLES,
  SINGLE_SHIFT_TABLES,
  type NationalLanguage,
  type ShiftTables,
} from '../../../drivers/codec/index.ts';
import { INDIAN_CORRECTIONS, INDIAN_LOCKING_FIXTURES, INDIAN_SINGLE_FIXTURES, LOCKING_FIXTURES, SINGLE_FIXTURES } from './national-table-fixtures.ts';

const hex = (octets: Uint8Array): string => Buffer.from(octets).toString('hex');

function codeOf(fn: () => unknown): { code: unknown; details: unknown } {
  try {
    fn();
  } catch (error: unknown) {
    const e = error as { code?: unknown; details?: unknown };
    return { code: e.code, details: e.details };
  }
  throw new Error('expected a throw');
}

// Positions of 3GPP TS 23.038 clause 6.2.1 (default alphabet), read off the spec table.
describe('GSM 7-bit default alphabet (TS 23.038 6.2.1)', () => {
  test.each([
    ['@', 0x00], ['£', 0x01], ['$', 0x02], ['¥', 0x03], ['è', 0x04], ['é', 0x05], ['ù', 0x06], ['ì', 0x07],
    ['ò', 0x08], ['Ç', 0x09], ['\n', 0x0a], ['Ø', 0x0b], ['ø', 0x0c], ['\r', 0x0d], ['Å', 0x0e], ['å', 0x0f],
    ['Δ', 0x10], ['_', 0x11], ['Φ', 0x12], ['Γ', 0x13], ['Λ', 0x14], ['Ω', 0x15], ['Π', 0x16], ['Ψ', 0x17],
    ['Σ', 0x18], ['Θ', 0x19], ['Ξ', 0x1a], ['Æ', 0x1c], ['æ', 0x1d], ['ß', 0x1e], ['É', 0x1f],
    [' ', 0x20], ['!', 0x21], ['"', 0x22], ['#', 0x23], ['¤', 0x24], ['%', 0x25], ['?', 0x3f], ['¡', 0x40],
    ['A', 0x41], ['Z', 0x5a], ['Ä', 0x5b], ['Ö', 0x5c], ['Ñ', 0x5d], ['Ü', 0x5e], ['§', 0x5f], ['¿', 0x60],
    ['a', 0x61], ['z', 0x7a], ['ä', 0x7b], ['ö', 0x7c], ['ñ', 0x7d], ['ü', 0x7e], ['à', 0x7f],
  ])('%j is septet %i', (char, septet) => {
    expect([...encodeGsm7(char)]).toEqual([septet]);
    expect(decodeGsm7(Uint8Array.of(septet))).toBe(char);
  });

  test.each([
    ['\f', 0x0a], ['^', 0x14], ['{', 0x28], ['}', 0x29], ['\\', 0x2f], ['[', 0x3c], ['~', 0x3d], [']', 0x3e], ['|', 0x40], ['€', 0x65],
  ])('extension %j is ESC %i and costs two septets', (char, septet) => {
    expect([...encodeGsm7(char)]).toEqual([0x1b, septet]);
    expect(decodeGsm7(Uint8Array.of(0x1b, septet))).toBe(char);
    expect(gsm7Length(char)).toBe(2);
  });

  test('the table has 128 positions and 0x1B is not a character', () => {
    expect(GSM7_DEFAULT_ALPHABET).toHaveLength(128);
    expect(gsm7Length('\u001b')).toBeUndefined();
    expect(Object.keys(GSM7_EXTENSION_TABLE)).toHaveLength(10);
  });

  // "hellohello": the classic example of TS 23.038 / 23.040 packing; unpacked, the septets equal ASCII here.
  test('hellohello unpacked', () => {
    expect(hex(encodeGsm7('hellohello'))).toBe('68656c6c6f68656c6c6f');
  });

  test.each([
    ['ESC then a code without extension character falls back to the default table (6.2.1.1)', [0x1b, 0x41], 'A'],
    ['ESC ESC shows a space', [0x1b, 0x1b], ' '],
    ['ESC CR2 position falls back to CR', [0x1b, 0x0d], '\r'],
    ['mixed', [0x48, 0x1b, 0x65, 0x00, 0x02], 'H€@$'],
  ])('decode: %s', (_name, septets, text) => {
    expect(decodeGsm7(Uint8Array.from(septets))).toBe(text);
  });

  test('gsm7Length counts septets or says not representable', () => {
    expect(gsm7Length('')).toBe(0);
    expect(gsm7Length('a{b}')).toBe(6);
    expect(gsm7Length('aç')).toBeUndefined();
    expect(gsm7Length('aç', { single: 'spanish' })).toBe(3);
  });
});

describe('GSM 7-bit errors', () => {
  test.each([
    ['CJK', 'abc日', { character: '日', codePoint: 'U+65E5', index: 3 }],
    ['emoji (astral, named as one code point)', 'hi 😀', { character: '😀', codePoint: 'U+1F600', index: 3 }],
    ['backtick is ASCII but not GSM', 'a`', { character: '`', codePoint: 'U+0060', index: 1 }],
    ['a lone surrogate', 'x\ud800', { character: '\ud800', codePoint: 'U+D800', index: 1 }],
  ])('CODEC_NOT_GSM7 for %s', (_name, text, details) => {
    expect(codeOf(() => encodeGsm7(text))).toEqual({ code: 'CODEC_NOT_GSM7', details });
  });

  test.each([
    ['CODEC_LONE_ESCAPE', [0x41, 0x1b], { index: 1 }],
    ['CODEC_INVALID_SEPTET', [0x41, 0x80], { index: 1, value: 0x80 }],
    ['CODEC_INVALID_SEPTET', [0x1b, 0xff], { index: 1, value: 0xff }],
  ])('%s for %j', (code, septets, details) => {
    expect(codeOf(() => decodeGsm7(Uint8Array.from(septets)))).toEqual({ code, details });
  });

  test('CODEC_INVALID_OPTION for a table that does not exist (Spanish has no locking shift)', () => {
    expect(codeOf(() => encodeGsm7('a', { locking: 'spanish' })).code).toBe('CODEC_INVALID_OPTION');
  });
});

describe('national language tables (TS 23.038 annex A) against an independent transcription', () => {
  const lockings = Object.entries(LOCKING_FIXTURES) as [NationalLanguage, readonly (readonly [number, number])[]][];
  const singles = Object.entries(SINGLE_FIXTURES) as [NationalLanguage, readonly (readonly [number, number])[]][];

  test.each(lockings)('locking shift %s: every position', (language, pairs) => {
    const table = LOCKING_SHIFT_TABLES[language];
    expect(table).toBeDefined();
    const expected = new Map(pairs);
    for (let septet = 0; septet < 128; septet++) {
      if (septet === 0x1b) continue;
      expect([septet, table?.codePointAt(septet)]).toEqual([septet, expected.get(septet)]);
      expect([septet, decodeGsm7(Uint8Array.of(septet), { locking: language })]).toEqual([septet, String.fromCodePoint(expected.get(septet) ?? 0)]);
    }
  });

  test.each(singles)('single shift %s: every position', (language, pairs) => {
    const table = SINGLE_SHIFT_TABLES[language] ?? {};
    const ours = Object.entries(table).map(([septet, char]) => [Number(septet), char.codePointAt(0)]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    expect(ours).toEqual([...pairs].map(([septet, cp]) => [septet, cp]));
    for (const [septet, cp] of pairs) {
      expect(decodeGsm7(Uint8Array.of(0x1b, septet), { single: language })).toBe(String.fromCodePoint(cp));
    }
  });

  function withCorrections(kind: 'locking' | 'single', language: string, pairs: readonly (readonly [number, number])[]): Map<number, number> {
    const map = new Map(pairs);
    for (const [lang, k, septet, cp] of INDIAN_CORRECTIONS) if (lang === language && k === kind) map.set(septet, cp);
    return map;
  }

  test.each(Object.entries(INDIAN_LOCKING_FIXTURES) as [NationalLanguage, readonly (readonly [number, number])[]][])(
    'Indian locking shift %s: every position (unassigned ones decode to U+FFFD)',
    (language, pairs) => {
      const expected = withCorrections('locking', language, pairs);
      for (let septet = 0; septet < 128; septet++) {
        if (septet === 0x1b) continue;
        const cp = expected.get(septet) ?? 0xfffd;
        expect([septet, decodeGsm7(Uint8Array.of(septet), { locking: language })]).toEqual([septet, String.fromCodePoint(cp)]);
        if (cp !== 0xfffd) expect([septet, [...encodeGsm7(String.fromCodePoint(cp), { locking: language })]]).toEqual([septet, [septet]]);
      }
    },
  );

  test.each(Object.entries(INDIAN_SINGLE_FIXTURES) as [NationalLanguage, readonly (readonly [number, number])[]][])(
    'Indian single shift %s: every position',
    (language, pairs) => {
      const expected = withCorrections('single', language, pairs);
      const ours = new Map(Object.entries(SINGLE_SHIFT_TABLES[language] ?? {}).map(([septet, char]) => [Number(septet), char.codePointAt(0)]));
      expect([...ours].sort((x, y) => x[0] - y[0])).toEqual([...expected].sort((x, y) => x[0] - y[0]));
    },
  );

  test.each([
    ['Turkish locking ğ', 'ğ', { locking: 'turkish' }, [0x0c]],
    ['Turkish locking İ', 'İ', { locking: 'turkish' }, [0x40]],
    ['Turkish locking ç', 'ç', { locking: 'turkish' }, [0x60]],
    ['Turkish single ş', 'ş', { single: 'turkish' }, [0x1b, 0x73]],
    ['Turkish single ı', 'ı', { single: 'turkish' }, [0x1b, 0x69]],
    ['Turkish locking+single: Ş locks, € single', 'Ş€', { locking: 'turkish', single: 'turkish' }, [0x1c, 0x04]],
    ['Spanish single á', 'á', { single: 'spanish' }, [0x1b, 0x61]],
    ['Portuguese locking ã', 'ã', { locking: 'portuguese' }, [0x7b]],
    ['Portuguese locking backtick', '`', { locking: 'portuguese' }, [0x7d]],
    ['Portuguese single Ê', 'Ê', { single: 'portuguese' }, [0x1b, 0x1f]],
    ['a locking table keeps the default extension table', '{', { locking: 'portuguese' }, [0x1b, 0x28]],
    // नमस्ते: NA 0x2F, MA 0x42, SA 0x4C, VIRAMA 0x5F, TA 0x27, VOWEL SIGN E 0x59 (A.3.6).
    ['Hindi locking', 'नमस्ते', { locking: 'hindi' }, [0x2f, 0x42, 0x4c, 0x5f, 0x27, 0x59]],
    // Devanagari digit one is in the Hindi single shift table at 0x1D (A.2.6).
    ['Hindi single shift digit', '१', { locking: 'hindi', single: 'hindi' }, [0x1b, 0x1d]],
    ['Urdu locking ALEF', 'ا', { locking: 'urdu' }, [0x00]],
  ] as [string, string, ShiftTables, number[]][])('%s', (_name, text, tables, septets) => {
    expect([...encodeGsm7(text, tables)]).toEqual(septets);
    expect(decodeGsm7(Uint8Array.from(septets), tables)).toBe(text);
  });
});

describe('GSM 7-bit properties', () => {
  const gsmChars = [...GSM7_DEFAULT_ALPHABET].filter((c) => c !== '\u001b').concat(Object.values(GSM7_EXTENSION_TABLE));
  const gsmText = fc.array(fc.constantFrom(...gsmChars), { maxLength: 400, size: 'max' }).map((chars) => chars.join(''));

  test('decode(encode(x)) == x for GSM texts with extension characters', () => {
    fc.assert(
      fc.property(gsmText, (text) => {
        const septets = encodeGsm7(text);
        expect(septets.length).toBe(gsm7Length(text));
        expect(decodeGsm7(septets)).toBe(text);
      }),
    );
  });

  test.each([
    [{ locking: 'turkish', single: 'turkish' }],
    [{ locking: 'portuguese', single: 'portuguese' }],
    [{ single: 'spanish' }],
    [{ locking: 'hindi', single: 'hindi' }],
    [{ locking: 'urdu', single: 'urdu' }],
    [{ locking: 'tamil', single: 'bengali' }],
  ] as [ShiftTables][])('decode(encode(x)) == x with %j', (tables) => {
    const main = tables.locking === undefined ? GSM7_DEFAULT_ALPHABET : (LOCKING_SHIFT_TABLES[tables.locking] ?? '');
    const shift = tables.single === undefined ? GSM7_EXTENSION_TABLE : (SINGLE_SHIFT_TABLES[tables.single] ?? {});
    const chars = [...main].filter((c) => c !== '\u001b' && c !== '\u0000').concat(Object.values(shift));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 300, size: 'max' }), (list) => {
        const text = list.join('');
        expect(decodeGsm7(encodeGsm7(text, tables), tables)).toBe(text);
      }),
    );
  });

  test('decoding arbitrary septets never throws except for a trailing ESC', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200, max: 0x7f, size: 'max' }), (septets) => {
        const endsWithLoneEscape = (() => {
          let i = 0;
          while (i < septets.length) i += septets[i] === 0x1b ? 2 : 1;
          return i > septets.length;
        })();
        if (endsWithLoneEscape) expect(() => decodeGsm7(septets)).toThrow();
        else expect(typeof decodeGsm7(septets)).toBe('string');
      }),
    );
  });
});
