import type { CarrierSource } from './carrier-answer.ts';
import type { PrefixEntry } from './prefix-table.ts';
import { routeError } from '../errors.ts';

/**
 * Parses a carrier range file: one `prefix,carrier[,name]` per line, where prefix is the E.164 digits
 * (country calling code first, `+` optional). `#` starts a comment; blank lines are skipped.
 * Takes the file content, not a path: reading files is the caller's business.
 */
export function parseRangeData(content: string, source: Extract<CarrierSource, 'ranges' | 'carrier-data'>, fileName = '<ranges>'): PrefixEntry[] {
  const entries: PrefixEntry[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/#.*/, '').trim();
    if (line === '') continue;
    const [rawPrefix = '', rawCarrier = '', ...rest] = line.split(',');
    const prefix = rawPrefix.trim().replace(/^\+/, '');
    const carrier = rawCarrier.trim();
    const name = rest.join(',').trim();
    if (!/^[1-9][0-9]{0,14}$/.test(prefix) || !CARRIER_ID.test(carrier)) {
      throw routeError('ROUTE_RANGE_DATA_INVALID', `${fileName} line ${i + 1}: expected "prefix,carrier[,name]"`, {
        file: fileName,
        line: i + 1,
        value: lines[i],
      });
    }
    entries.push(name === '' ? { prefix, carrier, source } : { prefix, carrier, name, source });
  }
  return entries;
}

/** Carrier ids are lower-case slugs so rules and prices can name them safely. */
export const CARRIER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
