/**
 * A campaign CSV's columns before a template is written (CampaignInputService.columns): the header's names, the
 * default phone column, the row count and the encoding, in UTF-8 (with and without a BOM) and Shift_JIS, split at
 * every offset; and the file-level refusals the preview would give.
 */
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { readCsvColumns } from '../../../gateway/campaigns/csv-columns.ts';
import { isCodedError } from '../../../common/index.ts';

function* chunks(octets: Buffer, size: number): Generator<Uint8Array> {
  for (let i = 0; i < octets.length; i += size) yield octets.subarray(i, i + size);
}

const TEXT = '電話番号,氏名,金額\r\n090-1000-0001,"山田, 太郎",1200\r\n090-1000-0002,"佐藤\r\n花子",300\r\n\r\nbad,誰か\r\n';

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error: unknown) {
    if (isCodedError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('campaign CSV columns', () => {
  test.each([
    ['Shift_JIS', iconv.encode(TEXT, 'cp932'), undefined, 'shift_jis'],
    ['UTF-8', Buffer.from(TEXT, 'utf8'), undefined, 'utf-8'],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), undefined, 'utf-8'],
    ['Shift_JIS named', iconv.encode(TEXT, 'cp932'), 'cp932', 'shift_jis'],
  ])('%s: names, the phone column, rows (a short row counted, an empty line not) and the encoding', async (_name, octets, encoding, read) => {
    const columns = await readCsvColumns({ kind: 'csv', octets: [octets], ...(encoding === undefined ? {} : { encoding }) });
    expect(columns).toEqual({ columns: ['電話番号', '氏名', '金額'], phoneColumn: '電話番号', rows: 3, encoding: read });
  });

  test('the same answer with the file split at every offset', async () => {
    const octets = iconv.encode(TEXT, 'cp932');
    const whole = await readCsvColumns({ kind: 'csv', octets: [octets] });
    for (let size = 1; size <= octets.length; size += 1) {
      expect(await readCsvColumns({ kind: 'csv', octets: chunks(octets, size) })).toEqual(whole);
    }
  });

  test('no usual phone name: no default phone column; names are trimmed; ASCII only reads as UTF-8', async () => {
    expect(await readCsvColumns({ kind: 'csv', octets: [Buffer.from(' msisdn , name\n09010000001,Ann\n')] })).toEqual({ columns: ['msisdn', 'name'], rows: 1, encoding: 'utf-8' });
    expect(await readCsvColumns({ kind: 'csv', octets: [Buffer.from('Name,Mobile\nAnn,09010000001\n')] })).toMatchObject({ phoneColumn: 'Mobile' });
  });

  test.each([
    ['an empty file', Buffer.alloc(0), undefined, 'CAMPAIGN_INVALID_CSV'],
    ['a repeated column', Buffer.from('phone,name,name\n1,2,3\n'), undefined, 'CAMPAIGN_INVALID_CSV'],
    ['Shift_JIS read as UTF-8', iconv.encode(TEXT, 'cp932'), 'utf-8', 'CAMPAIGN_INVALID_CSV'],
    ['broken quoting', Buffer.from('phone,name\n0901,"open\n'), undefined, 'CAMPAIGN_INVALID_CSV'],
    ['an unknown encoding', Buffer.from('phone\n1\n'), 'latin9', 'CAMPAIGN_INVALID_REQUEST'],
  ])('%s is refused as the preview refuses it', async (_name, octets, encoding, code) => {
    expect((await refusal(readCsvColumns({ kind: 'csv', octets: [octets], ...(encoding === undefined ? {} : { encoding }) }))).code).toBe(code);
  });

  test('more rows than a campaign holds: CAMPAIGN_TOO_MANY_ROWS', async () => {
    const octets = Buffer.from(`phone\n${'09010000001\n'.repeat(4)}`);
    expect(await refusal(readCsvColumns({ kind: 'csv', octets: [octets] }, 3))).toMatchObject({ code: 'CAMPAIGN_TOO_MANY_ROWS' });
    expect(await readCsvColumns({ kind: 'csv', octets: [octets] }, 4)).toMatchObject({ rows: 4 });
  });
});
