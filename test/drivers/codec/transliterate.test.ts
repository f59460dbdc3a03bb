import { describe, expect, test } from 'vitest';
import { encodeText, gsm7Length, transliterate, TRANSLITERATIONS } from '../../../drivers/codec/index.ts';

describe('smart transliteration', () => {
  test.each([
    ['curly quotes', '“Hi” ‘there’', '"Hi" \'there\''],
    ['dashes', 'a – b — c', 'a - b - c'],
    ['ellipsis', 'wait…', 'wait...'],
    ['no-break and thin spaces', '10\u00a0€ 5\u2009kg', '10 € 5 kg'],
    ['full-width ASCII and ideographic space', 'ＡＢＣ\u3000１２３！', 'ABC 123!'],
    ['full-width braces become extension characters', '｛ｘ｝', '{x}'],
    ['bullets', '• one\n• two', '* one\n* two'],
    ['zero width space removed', 'a\u200bb', 'ab'],
    ['nothing to do', 'plain text', 'plain text'],
  ])('%s', (_name, input, output) => {
    expect(transliterate(input).text).toBe(output);
  });

  test('counts every substitution, in order of first appearance', () => {
    expect(transliterate('“a” “b” …').substitutions).toEqual([
      { from: '“', to: '"', count: 2 },
      { from: '”', to: '"', count: 2 },
      { from: '…', to: '...', count: 1 },
    ]);
  });

  test('every replacement is GSM 7-bit default alphabet text', () => {
    for (const [from, to] of Object.entries(TRANSLITERATIONS)) {
      expect([from, gsm7Length(to)]).toEqual([from, expect.any(Number)]);
      expect(gsm7Length(from)).toBeUndefined();
    }
  });

  test('letters are never changed', () => {
    expect(transliterate('ğáçŞ日本').text).toBe('ğáçŞ日本');
  });
});

describe('smart transliteration in the segmenter', () => {
  test('applied when it keeps the text in 7-bit, and reported', () => {
    const m = encodeText('It’s “great” — really…', { smart: true });
    expect(m.encoding).toBe('gsm7');
    expect(m.text).toBe('It\'s "great" - really...');
    expect(m.substitutions.map((s) => s.from)).toEqual(['’', '“', '”', '—', '…']);
  });

  test('off by default: the same text goes UCS-2', () => {
    const m = encodeText('It’s “great”');
    expect([m.encoding, m.substitutions]).toEqual(['ucs2', []]);
  });

  test('not applied when the text needs UCS-2 anyway', () => {
    const m = encodeText('“日本”', { smart: true });
    expect([m.encoding, m.text, m.substitutions]).toEqual(['ucs2', '“日本”', []]);
  });

  test('forced gsm7: applied, then characters still outside GSM are refused', () => {
    expect(encodeText('“ok”', { smart: true, encoding: 'gsm7' }).text).toBe('"ok"');
    expect(() => encodeText('“日”', { smart: true, encoding: 'gsm7' })).toThrow(
      expect.objectContaining({ code: 'CODEC_NOT_GSM7', details: expect.objectContaining({ index: 1 }) as unknown }),
    );
  });

  test('combined with shift tables', () => {
    const m = encodeText('Şişli’de “kahve”', { smart: true, shiftTables: ['turkish'] });
    expect(m.encoding).toBe('gsm7');
    expect(m.shiftTables.locking ?? m.shiftTables.single).toBe('turkish');
    expect(m.text).toBe('Şişli\'de "kahve"');
  });
});
