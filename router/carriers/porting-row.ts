import { normalizeNumber } from '../numbers/normalize-number.ts';
import { CARRIER_ID } from './range-data.ts';
import type { PortingRecord } from './porting-source.ts';

export interface PortingRowOptions {
  /** Country for national forms (`090...`); without it a number must be international. */
  readonly defaultCountry?: string;
}

export type PortingRowResult = { readonly ok: true; readonly record: PortingRecord } | { readonly ok: false; readonly reason: string };

const FAST_E164 = /^\+?[1-9][0-9]{6,14}$/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Judges one row of a portability file: `number, carrier[, effective date]`. International numbers
 * (`+8190...`, or bare E.164 digits) take a fast path without full parsing, because a million-row import must
 * stay above 100,000 rows/s; national forms go through libphonenumber with the default country.
 */
export function parsePortingRow(fields: readonly string[], options: PortingRowOptions = {}): PortingRowResult {
  if (fields.length < 2 || fields.length > 3) return { ok: false, reason: `expected 2 or 3 fields, got ${fields.length}` };
  const rawNumber = (fields[0] ?? '').trim();
  const carrier = (fields[1] ?? '').trim().toLowerCase();
  const effective = (fields[2] ?? '').trim();
  let e164: string;
  if (FAST_E164.test(rawNumber)) {
    e164 = rawNumber.startsWith('+') ? rawNumber : `+${rawNumber}`;
  } else {
    if (/^[0-9]/.test(rawNumber) && !rawNumber.startsWith('00') && options.defaultCountry === undefined) {
      return { ok: false, reason: `number "${rawNumber}" is national; give a default country` };
    }
    try {
      e164 = normalizeNumber(rawNumber, { defaultCountry: options.defaultCountry }).e164;
    } catch (error: unknown) {
      return { ok: false, reason: `number "${rawNumber}": ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  if (!CARRIER_ID.test(carrier)) return { ok: false, reason: `carrier "${fields[1] ?? ''}" is not a carrier id (letters, digits, . _ -)` };
  if (effective === '') return { ok: true, record: { e164, carrier } };
  if (!DATE.test(effective) || Number.isNaN(Date.parse(effective))) {
    return { ok: false, reason: `effective date "${effective}" is not an ISO 8601 date` };
  }
  return { ok: true, record: { e164, carrier, effectiveDate: effective } };
}

/** A header row is one whose number field has no digit at all (`number,carrier,effective_date`). */
export function isPortingHeader(fields: readonly string[]): boolean {
  return !/[0-9]/.test(fields[0] ?? '');
}
