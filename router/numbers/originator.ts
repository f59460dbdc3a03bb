import { isGsmBasicText } from './gsm-alphabet.ts';
import { normalizeNumber } from './normalize-number.ts';
import { routeError } from '../errors.ts';

export type OriginatorKind = 'alphanumeric' | 'shortcode' | 'longnumber';

export interface Originator {
  readonly kind: OriginatorKind;
  /** Alphanumeric text as given, short code digits, or a long number in E.164. */
  readonly value: string;
}

const SHORT_CODE = /^[0-9]{3,8}$/;
const MAX_ALPHANUMERIC = 11;

/**
 * Classifies and validates an originator (source address):
 * - short codes: 3 to 8 digits (SMPP TON 3 / network specific);
 * - long numbers: anything starting with `+` or `00`, or digits longer than a short code, normalized to E.164;
 * - alphanumeric: 1 to 11 characters of the GSM default alphabet with at least one non-digit
 *   (3GPP TS 23.040 TP-OA with TON alphanumeric holds 11 septets).
 */
export function parseOriginator(input: string, defaultCountry?: string): Originator {
  const value = input.normalize('NFKC').trim();
  if (value === '') throw routeError('ROUTE_SENDER_INVALID', 'empty originator', { field: 'from', value: input, reason: 'EMPTY' });
  const compact = value.replace(/[\s-]/g, '');
  if (SHORT_CODE.test(compact)) return { kind: 'shortcode', value: compact };
  if (/^(\+|00)?[0-9]+$/.test(compact)) {
    try {
      return { kind: 'longnumber', value: normalizeNumber(compact, { defaultCountry }).e164 };
    } catch (error: unknown) {
      throw routeError('ROUTE_SENDER_INVALID', `"${input}" is not a valid long number`, { field: 'from', value: input, reason: 'INVALID_NUMBER' }, { cause: error });
    }
  }
  if ([...value].length > MAX_ALPHANUMERIC) {
    throw routeError('ROUTE_SENDER_INVALID', `"${input}" is longer than ${MAX_ALPHANUMERIC} characters`, { field: 'from', value: input, reason: 'TOO_LONG' });
  }
  if (!isGsmBasicText(value) || /[\r\n]/.test(value)) {
    throw routeError('ROUTE_SENDER_INVALID', `"${input}" has characters outside the GSM default alphabet`, { field: 'from', value: input, reason: 'NOT_GSM' });
  }
  return { kind: 'alphanumeric', value };
}
