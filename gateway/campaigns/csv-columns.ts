/**
 * What a campaign CSV offers before a template is written: its header's column names, the column a campaign
 * takes for the number by default, how many data rows it has and the encoding it was read in. The file is read
 * the way the campaign reads it (csv-records.ts: the same decoding, header checks and refusals), streamed, so an
 * operator maps columns against exactly what the preview and the campaign will see.
 */
import { campaignError } from './campaign-errors.ts';
import { defaultPhoneColumn, MAX_CAMPAIGN_ROWS, type CampaignSource } from './campaign-rows.ts';
import { readCsvRecords } from './csv-records.ts';
import { csvEncodingOf, type CsvEncoding } from './csv-text.ts';

export interface CsvColumns {
  /** The header's names, trimmed, in file order. */
  readonly columns: readonly string[];
  /** The column a campaign takes for the number when none is named (absent: none has a usual name). */
  readonly phoneColumn?: string;
  /** Data rows, those with the wrong number of fields included (empty lines are not rows). */
  readonly rows: number;
  /** The encoding as read (`utf-8` also for a file that was ASCII only). */
  readonly encoding: CsvEncoding;
}

/**
 * Reads the whole file once. Throws what would refuse the file in a preview: CAMPAIGN_INVALID_CSV (encoding,
 * quoting, an empty or repeated column name, an empty file), CAMPAIGN_TOO_MANY_ROWS beyond `maxRows`.
 */
export async function readCsvColumns(source: Extract<CampaignSource, { kind: 'csv' }>, maxRows = MAX_CAMPAIGN_ROWS): Promise<CsvColumns> {
  let columns: readonly string[] = [];
  const reading = readCsvRecords(source.octets, {
    encoding: csvEncodingOf(source.encoding),
    header: (names) => {
      columns = names;
    },
  });
  let rows = 0;
  for await (const row of reading.rows) {
    rows += 1;
    if (rows > maxRows) throw campaignError('CAMPAIGN_TOO_MANY_ROWS', `more than ${maxRows} rows`, { field: 'rows', limit: maxRows, line: row.line });
  }
  const phoneColumn = defaultPhoneColumn(columns);
  return { columns, ...(phoneColumn === undefined ? {} : { phoneColumn }), rows, encoding: reading.decoder.encoding ?? 'utf-8' };
}
