import { describe, expect, test } from 'vitest';
import { isGsmBasicText, parseOriginator } from '../../../router/index.ts';

describe('parseOriginator', () => {
  test.each([
    ['ACME', 'alphanumeric', 'ACME'],
    ['A', 'alphanumeric', 'A'],
    ['Shop-Tokyo1', 'alphanumeric', 'Shop-Tokyo1'],
    ['Café & Co', 'alphanumeric', 'Café & Co'],
    ['ÄÖÜ§¿@£$', 'alphanumeric', 'ÄÖÜ§¿@£$'],
    ['  Bank  ', 'alphanumeric', 'Bank'],
    ['123', 'shortcode', '123'],
    ['12345', 'shortcode', '12345'],
    ['１２３４５', 'shortcode', '12345'],
    ['+81 3 1234 5678', 'longnumber', '+81312345678'],
    ['0081312345678', 'longnumber', '+81312345678'],
    ['+447911123456', 'longnumber', '+447911123456'],
  ])('%s is %s', (input, kind, value) => {
    expect(parseOriginator(input)).toEqual({ kind, value });
  });

  test('a national long number uses the default country', () => {
    expect(parseOriginator('03-1234-5678', 'JP')).toEqual({ kind: 'longnumber', value: '+81312345678' });
  });

  test.each([
    ['empty', '', 'EMPTY'],
    ['12 characters', 'ABCDEFGHIJKL', 'TOO_LONG'],
    ['kanji', '東京銀行', 'NOT_GSM'],
    ['emoji', 'Shop🙂', 'NOT_GSM'],
    ['GSM extension character (needs escape)', 'A{B}', 'NOT_GSM'],
    ['euro sign (extension table)', 'Pay€', 'NOT_GSM'],
    ['line break', 'AB\nCD', 'NOT_GSM'],
    ['invalid long number', '+999123456789', 'INVALID_NUMBER'],
  ])('refuses %s', (_label, input, reason) => {
    expect(() => parseOriginator(input)).toThrow(expect.objectContaining({ code: 'ROUTE_SENDER_INVALID', details: expect.objectContaining({ field: 'from', reason }) as unknown }));
  });
});

describe('GSM basic alphabet', () => {
  test('holds the 127 characters of the default table (the escape excluded)', () => {
    let count = 0;
    for (let cp = 0; cp <= 0x2000; cp++) if (isGsmBasicText(String.fromCodePoint(cp))) count++;
    for (const greek of 'ΔΦΓΛΩΠΨΣΘΞ') expect(isGsmBasicText(greek)).toBe(true);
    expect(count).toBe(127);
  });
});
