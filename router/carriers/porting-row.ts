import { isValidE164, normalizeNumber } from '../numbers/normalize-number.ts';
import { CARRIER_ID } from './range-data.ts';
import type { PortingRecord } from './porting-source.ts';

export interface PortingRowOptions {
  /** Country for national forms (`090...`); without it a number must be international. */
  readonly defaultCountry?: string;
  /** The carrier ids a number may be ported to (`knownCarriers`, `RoutingTable.knownCarriers`); any id when absent. */
  readonly knownCarriers?: ReadonlySet<string>;
}

/** The refused field: `fields` when the row has the wrong number of them. */
export type PortingRowField = 'fields' | 'number' | 'carrier' | 'effectiveDate';

export type PortingRowResult =
  | { readonly ok: true; readonly record: PortingRecord }
  | { readonly ok: false; readonly field: PortingRowField; readonly value: string; readonly reason: string };

const FAST_E164 = /^\+?[1-9][0-9]{6,14}$/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Judges one row of a portability file: `number, carrier[, effective date]`. The number must be valid for its
 * country (libphonenumber's full metadata), and the carrier one of `knownCarriers` when given. International
 * numbers (`+8190...`, or bare E.164 digits) take a fast path (a validity check, no parsing of other forms),
 * because a million-row import must stay fast; national forms and refusals go through the router's normalization
 * with the default country, which names the reason.
 */
export function parsePortingRow(fields: readonly string[], options: PortingRowOptions = {}): PortingRowResult {
  if (fields.length < 2 || fields.length > 3) return { ok: false, field: 'fields', value: fields.join(','), reason: `expected 2 or 3 fields, got ${fields.length}` };
  const rawNumber = (fields[0] ?? '').trim();
  const carrier = (fields[1] ?? '').trim().toLowerCase();
  const effective = (fields[2] ?? '').trim();
  let e164: string;
  const international = FAST_E164.test(rawNumber) ? (rawNumber.startsWith('+') ? rawNumber : `+${rawNumber}`) : undefined;
  if (international !== undefined && isValidE164(international)) {
    e164 = international;
  } else {
    if (international === undefined && /^[0-9]/.test(rawNumber) && !rawNumber.startsWith('00') && options.defaultCountry === undefined) {
      return { ok: false, field: 'number', value: rawNumber, reason: `number "${rawNumber}" is national; give a default country` };
    }
    try {
      e164 = normalizeNumber(international ?? rawNumber, { defaultCountry: options.defaultCountry }).e164;
    } catch (error: unknown) {
      return { ok: false, field: 'number', value: rawNumber, reason: `number "${rawNumber}": ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  if (!CARRIER_ID.test(carrier)) return { ok: false, field: 'carrier', value: fields[1] ?? '', reason: `carrier "${fields[1] ?? ''}" is not a carrier id (letters, digits, . _ -)` };
  if (options.knownCarriers !== undefined && !options.knownCarriers.has(carrier)) {
    return { ok: false, field: 'carrier', value: carrier, reason: `carrier "${carrier}" is not a known carrier (the range data's carriers, or the configuration's carriers.names / ranges)` };
  }
  if (effective === '') return { ok: true, record: { e164, carrier } };
  if (!DATE.test(effective) || Number.isNaN(Date.parse(effective))) {
    return { ok: false, field: 'effectiveDate', value: effective, reason: `effective date "${effective}" is not an ISO 8601 date` };
  }
  return { ok: true, record: { e164, carrier, effectiveDate: effective } };
}

/** A header row is one whose number field has no digit at all (`number,carrier,effective_date`). */
export function isPortingHeader(fields: readonly string[]): boolean {
  return !/[0-9]/.test(fields[0] ?? '');
}
