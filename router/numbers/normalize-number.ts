import { isValidPhoneNumber, parsePhoneNumberWithError, validatePhoneNumberLength, ParseError } from 'libphonenumber-js/max';
import type { CountryCode, NumberType } from 'libphonenumber-js/max';

/** libphonenumber's number type, or UNKNOWN when its metadata cannot tell. */
export type NumberKind = NonNullable<NumberType> | 'UNKNOWN';
import { routeError } from '../errors.ts';

export interface NormalizeOptions {
  /** ISO 3166-1 alpha-2 country used for national forms such as `090-1234-5678` (the account's default). */
  readonly defaultCountry?: string;
  /** Refuse numbers that are not (or cannot be) mobile. */
  readonly requireMobile?: boolean;
}

export interface NormalizedNumber {
  readonly input: string;
  /** `+` and digits: the only form used after the API edge. */
  readonly e164: string;
  readonly country: string | undefined;
  readonly countryCallingCode: string;
  readonly nationalNumber: string;
  readonly type: NumberKind;
}

// A national significant number never starts with 0 after a trunk prefix, so a leading `00` is always the
// common international prefix. libphonenumber only knows each country's own IDD (Japan: 010), hence this step.
const INTERNATIONAL_00 = /^00(?=[1-9])/;
const ALLOWED_PUNCTUATION = /[\s\-().\u2010-\u2015\u2212\u30FC/]/g;
const MOBILE_TYPES: ReadonlySet<NumberKind> = new Set<NumberKind>(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * Turns what a user typed into E.164 with libphonenumber's full metadata. Accepts `+81 90...`, `0081...`,
 * the country's own IDD (`010-81-...` in Japan), national forms with the default country, full-width digits
 * and common separators. Refusals carry the reason as their code.
 */
export function normalizeNumber(input: string, options: NormalizeOptions = {}): NormalizedNumber {
  const defaultCountry = checkCountry(options.defaultCountry);
  const cleaned = input.normalize('NFKC').trim().replace(ALLOWED_PUNCTUATION, '').replace(INTERNATIONAL_00, '+');
  if (cleaned === '' || !/^\+?[0-9]+$/.test(cleaned)) {
    throw routeError('ROUTE_NUMBER_UNPARSABLE', `"${input}"`, { field: 'to', value: input, reason: 'NOT_A_NUMBER' });
  }
  const jpMobile = jpMobileNational(cleaned, defaultCountry);
  if (jpMobile !== undefined) {
    return { input, e164: `+81${jpMobile}`, country: 'JP', countryCallingCode: '81', nationalNumber: jpMobile, type: 'MOBILE' };
  }
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(cleaned, defaultCountry);
  } catch (error: unknown) {
    throw fromParseError(error, input, defaultCountry);
  }
  const e164 = parsed.number;
  if (!parsed.isValid()) {
    const lengthProblem = validatePhoneNumberLength(e164);
    const digits = e164.length - 1;
    if (lengthProblem === 'TOO_SHORT' || digits < 7) {
      throw routeError('ROUTE_NUMBER_TOO_SHORT', `"${input}"`, { field: 'to', value: input, reason: 'TOO_SHORT', country: parsed.country });
    }
    if (lengthProblem === 'TOO_LONG' || digits > 15) {
      throw routeError('ROUTE_NUMBER_TOO_LONG', `"${input}"`, { field: 'to', value: input, reason: 'TOO_LONG', country: parsed.country });
    }
    throw routeError('ROUTE_NUMBER_INVALID', `"${input}" (${parsed.country ?? `+${parsed.countryCallingCode}`})`, {
      field: 'to',
      value: input,
      reason: lengthProblem ?? 'INVALID_FOR_REGION',
      country: parsed.country,
    });
  }
  const type: NumberKind = parsed.getType() ?? 'UNKNOWN';
  if (options.requireMobile === true && !MOBILE_TYPES.has(type)) {
    throw routeError('ROUTE_NUMBER_NOT_MOBILE', `"${input}" is ${type}`, { field: 'to', value: input, reason: 'NOT_MOBILE', type });
  }
  return {
    input,
    e164,
    country: parsed.country,
    countryCallingCode: parsed.countryCallingCode,
    nationalNumber: parsed.nationalNumber,
    type,
  };
}

/**
 * Japan's mobile numbers, as libphonenumber's JP mobile pattern has them (`[7-9]0[1-9]\d{7}`): the bulk of every
 * portability file, so a million-row import answers them without the full metadata walk (a test holds this to
 * libphonenumber).
 */
export const JP_MOBILE_E164 = /^\+81[789]0[1-9]\d{7}$/;

/** A JP mobile number in its national form once cleaned (`09012345678`), read as such with default country JP. */
const JP_MOBILE_NATIONAL = /^0[789]0[1-9]\d{7}$/;

/**
 * The national significant number of a JP mobile number written in E.164 (any default country) or, with default
 * country JP, nationally; undefined for anything else. Japanese mobiles are most of what this gateway sends to, and
 * libphonenumber's parse, validation and typing of one cost about 7 µs, some 7% of the embedded mode's CPU per
 * message; its answer for these is always the same (country JP, calling code 81, MOBILE), which a test holds it to.
 */
function jpMobileNational(cleaned: string, defaultCountry: CountryCode | undefined): string | undefined {
  if (JP_MOBILE_E164.test(cleaned)) return cleaned.slice(3);
  if (defaultCountry === 'JP' && JP_MOBILE_NATIONAL.test(cleaned)) return cleaned.slice(1);
  return undefined;
}

/** Whether `+` and digits form a number valid for its country in libphonenumber's full metadata (no parsing of other forms). */
export function isValidE164(e164: string): boolean {
  return JP_MOBILE_E164.test(e164) || isValidPhoneNumber(e164);
}

function checkCountry(country: string | undefined): CountryCode | undefined {
  if (country === undefined) return undefined;
  if (!/^[A-Z]{2}$/.test(country)) {
    throw routeError('ROUTE_INVALID_OPTION', `default country "${country}" is not an ISO 3166-1 alpha-2 code`, { field: 'defaultCountry', value: country });
  }
  return country as CountryCode;
}

function fromParseError(error: unknown, input: string, defaultCountry: string | undefined): Error {
  const reason = error instanceof ParseError ? error.message : 'NOT_A_NUMBER';
  const details = { field: 'to', value: input, reason, defaultCountry };
  switch (reason) {
    case 'INVALID_COUNTRY':
      return routeError('ROUTE_NUMBER_NO_COUNTRY', `"${input}"`, details);
    case 'TOO_SHORT':
      return routeError('ROUTE_NUMBER_TOO_SHORT', `"${input}"`, details);
    case 'TOO_LONG':
      return routeError('ROUTE_NUMBER_TOO_LONG', `"${input}"`, details);
    default:
      return routeError('ROUTE_NUMBER_UNPARSABLE', `"${input}"`, details);
  }
}
