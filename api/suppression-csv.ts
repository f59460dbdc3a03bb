/**
 * The suppression list as CSV (RFC 4180), for POST /v1/suppressions/import and GET /v1/suppressions/export.
 * - Import: a header row naming the columns (`number` required; `sender`, `reason`, `note` optional; the export's
 *   own columns `createdAt`, `source`, `sourceDetail`, `sourceConnector` are read and ignored, so an export goes
 *   back in as it is), then one entry per row. UTF-8 with or without a BOM; Shift_JIS (as Excel in Japan saves)
 *   with `Content-Type: text/csv; charset=shift_jis`. A row's problems are reported with its line number and
 *   never stop the other rows; a file that cannot be read as CSV at all is refused whole.
 * - Export: UTF-8 with a BOM (so Excel reads it as UTF-8), CRLF line ends, the columns below. Free-text cells that
 *   a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) get a leading `'`: a recipient's
 *   keyword text lands in `sourceDetail`, and must not become a formula on an operator's screen.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { SUPPRESSION_REASONS, type SuppressionEntry, type SuppressionReason, type SuppressionService, type SuppressionSource } from '../gateway/index.ts';
import { apiError } from './errors.ts';

export const EXPORT_COLUMNS = ['number', 'sender', 'reason', 'note', 'createdAt', 'source', 'sourceDetail', 'sourceConnector'] as const;
const IMPORT_COLUMNS: ReadonlySet<string> = new Set(['number', 'sender', 'reason', 'note']);
const IGNORED_COLUMNS: ReadonlySet<string> = new Set(EXPORT_COLUMNS.filter((c) => !IMPORT_COLUMNS.has(c)));
const CHARSETS: Readonly<Record<string, string>> = { 'utf-8': 'utf-8', utf8: 'utf-8', shift_jis: 'shift_jis', 'shift-jis': 'shift_jis', sjis: 'shift_jis', 'windows-31j': 'shift_jis', cp932: 'shift_jis' };
export const MAX_IMPORT_ROWS = 100_000;
/** Refused rows listed in an import's answer (the count covers them all). */
export const MAX_REPORTED_ROW_ERRORS = 1_000;
const EXPORT_PAGE = 1_000;
const MAX_NOTE = 500;
const BOM = '\uFEFF';

/** One row of an import, as read (not yet normalized: the service does that and may still refuse it). */
export interface ImportRow {
  readonly line: number;
  readonly number: string;
  readonly sender?: string;
  readonly reason: SuppressionReason;
  readonly note?: string;
}

/** A row that was not applied: its line (1 = the header), the code and the column at fault. */
export interface RowError {
  readonly line: number;
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

/** The rows of an import body, and the rows refused while reading it; throws API_INVALID_CSV for an unreadable file. */
export function readImport(body: Buffer, contentType: string | undefined, defaultReason: SuppressionReason): { rows: ImportRow[]; errors: RowError[] } {
  const text = decode(body, contentType);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error: unknown) {
    const line = (error as { lines?: unknown }).lines;
    throw apiError('API_INVALID_CSV', `not readable as CSV${typeof line === 'number' ? ` at line ${line}` : ''}: ${(error as Error).message}`, { field: 'body' });
  }
  const [head, ...data] = records;
  if (head === undefined) throw apiError('API_INVALID_CSV', 'the file is empty: a header row naming the columns comes first (number[,sender][,reason][,note])', { field: 'body' });
  const columns = head.record.map((name) => canonicalColumn(name));
  columns.forEach((column, index) => {
    if (column === undefined) {
      throw apiError('API_INVALID_CSV', `header column ${index + 1} "${head.record[index] ?? ''}" is not one of number, sender, reason, note (or the export's ${[...IGNORED_COLUMNS].join(', ')})`, { field: 'header' });
    }
    if (columns.indexOf(column) !== index) throw apiError('API_INVALID_CSV', `header column "${column}" is given twice`, { field: 'header' });
  });
  if (!columns.includes('number')) throw apiError('API_INVALID_CSV', 'the header row has no "number" column (the first row is the header: number[,sender][,reason][,note])', { field: 'header' });
  if (data.length > MAX_IMPORT_ROWS) throw apiError('API_INVALID_CSV', `${data.length} rows; at most ${MAX_IMPORT_ROWS} go in one import`, { field: 'body', limit: MAX_IMPORT_ROWS });
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  for (const { record, info } of data) {
    const line = info.lines;
    const refuse = (field: string, message: string): void => void errors.push({ line, code: 'API_INVALID_CSV_ROW', message, field });
    if (record.length !== columns.length) {
      refuse('row', `${record.length} fields; the header has ${columns.length}`);
      continue;
    }
    const cell = (name: string): string | undefined => {
      const value = record[columns.indexOf(name)];
      return value === undefined || value === '' ? undefined : value;
    };
    const number = cell('number');
    const reason = cell('reason') ?? defaultReason;
    const note = cell('note');
    const sender = cell('sender');
    if (number === undefined) refuse('number', 'number is empty');
    else if (!isReason(reason)) refuse('reason', `"${reason}" is not one of ${SUPPRESSION_REASONS.join(', ')}`);
    else if (note !== undefined && note.length > MAX_NOTE) refuse('note', `note is longer than ${MAX_NOTE} characters`);
    else rows.push({ line, number, reason, ...(sender === undefined ? {} : { sender }), ...(note === undefined ? {} : { note }) });
  }
  return { rows, errors };
}

/** What an import did: rows read, entries added and replaced, and the refused rows (the first 1,000). */
export interface ImportOutcome {
  readonly rows: number;
  readonly added: number;
  readonly replaced: number;
  readonly refused: number;
  readonly errors: RowError[];
}

/**
 * Reads an import body (as readImport) and applies its good rows to the account's list under `source`; the API's
 * import and the console's upload both run this. A number or sender the router refuses is its row's fault and is
 * listed; anything else (a store outage) fails the whole import, and a retry is safe (rows applied already are
 * replaced, not doubled).
 */
export async function importSuppressions(
  suppressions: SuppressionService,
  accountId: string,
  body: Buffer,
  contentType: string | undefined,
  defaultReason: SuppressionReason,
  source: SuppressionSource,
): Promise<ImportOutcome> {
  const { rows, errors } = readImport(body, contentType, defaultReason);
  const read = rows.length + errors.length;
  let added = 0;
  let replaced = 0;
  for (const row of rows) {
    try {
      const { created } = await suppressions.suppress(accountId, {
        number: row.number,
        reason: row.reason,
        source,
        ...(row.sender === undefined ? {} : { sender: row.sender }),
        ...(row.note === undefined ? {} : { note: row.note }),
      });
      if (created) added += 1;
      else replaced += 1;
    } catch (error: unknown) {
      if (!isRowRefusal(error)) throw error;
      errors.push(rowError(row.line, row.sender !== undefined && isSenderError(error) ? 'sender' : 'number', error));
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows: read, added, replaced, refused: errors.length, errors: errors.slice(0, MAX_REPORTED_ROW_ERRORS) };
}

/** The account's whole list as an export file (header with BOM, then every entry in list order). */
export async function exportSuppressions(suppressions: SuppressionService, accountId: string): Promise<string> {
  const chunks = [exportHeader()];
  let after: string | undefined;
  do {
    const page = await suppressions.list(accountId, EXPORT_PAGE, after);
    chunks.push(exportRows(page.entries));
    after = page.next;
  } while (after !== undefined);
  return chunks.join('');
}

/** The header row of an export, with the BOM. */
export function exportHeader(): string {
  return BOM + stringify([[...EXPORT_COLUMNS]], { record_delimiter: 'windows' });
}

/** Rows of an export for these entries. */
export function exportRows(entries: readonly SuppressionEntry[]): string {
  if (entries.length === 0) return '';
  return stringify(
    entries.map((e) => [e.number, e.sender ?? '', e.reason, inert(e.note ?? ''), new Date(e.createdAt).toISOString(), e.source.kind, inert(e.source.detail ?? ''), e.source.connector ?? '']),
    { record_delimiter: 'windows' },
  );
}

function decode(body: Buffer, contentType: string | undefined): string {
  const wanted = /charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  const charset = CHARSETS[wanted];
  if (charset === undefined) throw apiError('API_INVALID_CSV', `charset "${wanted}" is not supported: send UTF-8 (with or without a BOM) or Shift_JIS`, { field: 'content-type' });
  try {
    return new TextDecoder(charset, { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw apiError('API_INVALID_CSV', `the body is not valid ${charset === 'utf-8' ? 'UTF-8' : 'Shift_JIS'} (say charset=shift_jis in Content-Type for a Shift_JIS file)`, { field: 'body' });
  }
}

function canonicalColumn(name: string): string | undefined {
  const wanted = name.trim().toLowerCase().replace(/[_\s-]/g, '');
  for (const column of EXPORT_COLUMNS) if (column.toLowerCase() === wanted) return column;
  return undefined;
}

function isReason(value: string): value is SuppressionReason {
  return (SUPPRESSION_REASONS as readonly string[]).includes(value);
}

/** A free-text cell a spreadsheet will not run as a formula (OWASP "CSV injection"). */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function rowError(line: number, field: string, error: unknown): RowError {
  const coded = error as { code?: unknown; message?: unknown };
  const code = typeof coded.code === 'string' ? coded.code : 'API_INTERNAL';
  return { line, code, message: typeof coded.message === 'string' ? coded.message : 'not applied', field };
}

function isRowRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ROUTE_');
}

function isSenderError(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ROUTE_SENDER_INVALID';
}
