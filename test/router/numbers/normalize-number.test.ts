import fc from 'fast-check';
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { describe, expect, test } from 'vitest';
import { normalizeNumber, type RouteErrorCode } from '../../../router/index.ts';
import { isValidE164, JP_MOBILE_E164 } from '../../../router/numbers/normalize-number.ts';

describe('normalizeNumber', () => {
  test.each([
    ['national with hyphens, default JP', '090-1234-5678', 'JP', '+819012345678', 'JP', 'MOBILE'],
    ['international with spaces', '+81 90 1234 5678', undefined, '+819012345678', 'JP', 'MOBILE'],
    ['00 international prefix in Japan (IDD there is 010)', '0081-90-1234-5678', 'JP', '+819012345678', 'JP', 'MOBILE'],
    ['00 international prefix without a default country', '0081 90 1234 5678', undefined, '+819012345678', 'JP', 'MOBILE'],
    ["Japan's own IDD 010", '010-81-90-1234-5678', 'JP', '+819012345678', 'JP', 'MOBILE'],
    ['full-width digits and hyphens', '０９０－１２３４－５６７８', 'JP', '+819012345678', 'JP', 'MOBILE'],
    ['full-width plus', '＋８１９０１２３４５６７８', undefined, '+819012345678', 'JP', 'MOBILE'],
    ['parentheses and dots', '(090) 1234.5678', 'JP', '+819012345678', 'JP', 'MOBILE'],
    ['Tokyo fixed line', '03-1234-5678', 'JP', '+81312345678', 'JP', 'FIXED_LINE'],
    ['070 mobile', '070-1234-5678', 'JP', '+817012345678', 'JP', 'MOBILE'],
    ['German mobile with another default country', '+49 151 12345678', 'JP', '+4915112345678', 'DE', 'MOBILE'],
    ['UK mobile, national form', '07400 123456', 'GB', '+447400123456', 'GB', 'MOBILE'],
    ['Guernsey shares +44: the region comes from the range', '07911 123456', 'GB', '+447911123456', 'GG', 'MOBILE'],
    ['US number', '+1 (415) 555-2671', undefined, '+14155552671', 'US', 'FIXED_LINE_OR_MOBILE'],
  ])('%s: %s', (_label, input, country, e164, region, type) => {
    const result = normalizeNumber(input, { defaultCountry: country });
    expect(result).toMatchObject({ input, e164, country: region, type });
  });

  test.each<[string, string, string | undefined, boolean, RouteErrorCode, string]>([
    ['letters', 'call me', 'JP', false, 'ROUTE_NUMBER_UNPARSABLE', 'NOT_A_NUMBER'],
    ['empty', '   ', 'JP', false, 'ROUTE_NUMBER_UNPARSABLE', 'NOT_A_NUMBER'],
    ['digits with a letter', '090-1234-567a', 'JP', false, 'ROUTE_NUMBER_UNPARSABLE', 'NOT_A_NUMBER'],
    ['national number without a default country', '09012345678', undefined, false, 'ROUTE_NUMBER_NO_COUNTRY', 'INVALID_COUNTRY'],
    ['unknown country calling code', '+999 1234 5678', undefined, false, 'ROUTE_NUMBER_NO_COUNTRY', 'INVALID_COUNTRY'],
    ['too short for Japan', '090-123', 'JP', false, 'ROUTE_NUMBER_TOO_SHORT', 'TOO_SHORT'],
    ['too long for Japan', '090-1234-5678-9012', 'JP', false, 'ROUTE_NUMBER_TOO_LONG', 'TOO_LONG'],
    ['right length, unallocated prefix', '+81 10 1234 5678', undefined, false, 'ROUTE_NUMBER_INVALID', 'INVALID_FOR_REGION'],
    ['fixed line where mobile is required', '03-1234-5678', 'JP', true, 'ROUTE_NUMBER_NOT_MOBILE', 'NOT_MOBILE'],
    ['IP phone (050) where mobile is required', '050-1234-5678', 'JP', true, 'ROUTE_NUMBER_NOT_MOBILE', 'NOT_MOBILE'],
  ])('refuses %s (%s)', (_label, input, country, requireMobile, code, reason) => {
    let caught: unknown;
    try {
      normalizeNumber(input, { defaultCountry: country, requireMobile });
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toMatchObject({ code, retriable: false, details: { field: 'to', value: input, reason } });
  });

  test('a mobile number passes when mobile is required', () => {
    expect(normalizeNumber('090-1234-5678', { defaultCountry: 'JP', requireMobile: true }).type).toBe('MOBILE');
  });

  test('a malformed default country is an option error, not a number error', () => {
    expect(() => normalizeNumber('090-1234-5678', { defaultCountry: 'jp' })).toThrow(expect.objectContaining({ code: 'ROUTE_INVALID_OPTION' }));
  });
});

describe('the JP mobile fast path', () => {
  /** What libphonenumber itself makes of `input`, in normalizeNumber's shape. */
  const byMetadata = (input: string, defaultCountry: 'JP' | 'US' | undefined): Record<string, unknown> => {
    const parsed = parsePhoneNumberWithError(input.normalize('NFKC').replace(/[\s-]/g, '').replace(/^00/, '+'), defaultCountry);
    return { e164: parsed.number, country: parsed.country, countryCallingCode: parsed.countryCallingCode, nationalNumber: parsed.nationalNumber, type: parsed.getType(), valid: parsed.isValid() };
  };

  test('answers exactly as libphonenumber does, in every form a JP mobile number is written', () => {
    const fullWidth = (text: string): string => text.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    fc.assert(
      fc.property(
        fc.constantFrom('7', '8', '9'),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 9_999_999 }),
        fc.constantFrom('e164', 'national', 'hyphens', 'full-width', '0081'),
        fc.constantFrom('JP' as const, 'US' as const, undefined),
        (lead, third, rest, form, defaultCountry) => {
          const national = `${lead}0${third}${String(rest).padStart(7, '0')}`;
          const nationalForm = form === 'national' || form === 'hyphens' || form === 'full-width';
          if (nationalForm && defaultCountry !== 'JP') return;
          const input = {
            e164: `+81${national}`,
            national: `0${national}`,
            hyphens: `0${national.slice(0, 2)}-${national.slice(2, 6)}-${national.slice(6)}`,
            'full-width': fullWidth(`0${national}`),
            '0081': `0081 ${national}`,
          }[form];
          const { valid, ...expected } = byMetadata(input, defaultCountry);
          expect(valid).toBe(true);
          const { input: _input, ...actual } = normalizeNumber(input, { ...(defaultCountry === undefined ? {} : { defaultCountry }), requireMobile: true });
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  test('a national form under another default country, and JP numbers outside the mobile ranges, go to the metadata', () => {
    expect(() => normalizeNumber('09012345678', { defaultCountry: 'US' })).toThrow(expect.objectContaining({ code: 'ROUTE_NUMBER_TOO_LONG' }));
    expect(normalizeNumber('+812012345678')).toMatchObject({ country: 'JP', type: 'PAGER' });
    expect(normalizeNumber('+816012345678')).toMatchObject({ country: 'JP', type: 'MOBILE' });
    expect(() => normalizeNumber('+819001234567')).toThrow(expect.objectContaining({ code: 'ROUTE_NUMBER_INVALID' }));
  });
});

describe('isValidE164', () => {
  test('the JP mobile fast path accepts only what libphonenumber accepts', () => {
    fc.assert(
      fc.property(fc.constantFrom('7', '8', '9'), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 9_999_999 }), (lead, third, rest) => {
        const e164 = `+81${lead}0${third}${String(rest).padStart(7, '0')}`;
        expect(JP_MOBILE_E164.test(e164)).toBe(true);
        expect(isValidPhoneNumber(e164)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  test.each(['+817012345678', '+819098765432', '+81312345678', '+447911123456'])('%s is valid', (e164) => {
    expect(isValidE164(e164)).toBe(true);
  });

  test.each(['+81901234', '+819001234567', '+8190123456789', '+81700000000'])('%s is not', (e164) => {
    expect(isValidE164(e164)).toBe(false);
  });
});
