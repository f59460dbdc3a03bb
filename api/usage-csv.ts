/**
 * A usage report as CSV (RFC 4180, CRLF), UTF-8 with a byte order mark so that Excel opens it as UTF-8: one row per
 * group, columns `<groupBy>,messages,segments`, then `price_<currency>` for each currency any row has (empty where
 * a row has none).
 */
import { stringify } from 'csv-stringify/sync';
import type { UsageReport } from '../gateway/index.ts';

export function usageCsv(report: UsageReport): string {
  const currencies = [...new Set(report.rows.flatMap((row) => Object.keys(row.price ?? {})))].sort();
  const header = [report.groupBy, 'messages', 'segments', ...currencies.map((currency) => `price_${currency}`)];
  const rows = report.rows.map((row) => [row.key, row.messages, row.segments, ...currencies.map((currency) => row.price?.[currency] ?? '')]);
  return stringify([header, ...rows], { bom: true, record_delimiter: 'windows' });
}
