import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadPortingFile, PortingFileError, portingFileOf } from '../../../../gateway/index.ts';
import { buildRoutingTable } from '../../../../router/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'smsgw-mnp-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function write(lines: readonly string[]): string {
  const file = join(dir, `f${n++}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('loadPortingFile', () => {
  test('reads the `smsgw mnp import` format: header, comments, national numbers with a country, effective dates; a later row wins', async () => {
    const file = write(['number,carrier,effective_date', '# ported last month', '090-1234-5678,docomo', '+819012340000,au,2030-06-01', '819012345678,rakuten']);
    const { source, rows } = await loadPortingFile(file, { defaultCountry: 'JP' });
    expect(rows).toBe(2);
    expect(source.peek('+819012345678')).toEqual({ e164: '+819012345678', carrier: 'rakuten' });
    expect(source.peek('+819012340000')).toEqual({ e164: '+819012340000', carrier: 'au', effectiveDate: '2030-06-01' });
  });

  test('one bad row refuses the whole file: the typed error names the file and the first bad line, and counts the others', async () => {
    const file = write(['+819012345678,docomo', '+81901,au', '+819012340000,docomo,someday', '090-1234-5678,au']);
    const error = await loadPortingFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortingFileError);
    expect(error).toMatchObject({ code: 'ROUTE_PORTING_ROW_INVALID', retriable: false, file, line: 2, bad: 3, details: { file, line: 2, bad: 3 } });
    expect((error as PortingFileError).rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect((error as Error).message).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: number "\\+81901".*; 2 more bad row\\(s\\)`));
  });

  test('a CSV syntax error is a bad row at its line', async () => {
    const file = write(['+819012345678,docomo', '"+819012340000,au']);
    await expect(loadPortingFile(file)).rejects.toMatchObject({ code: 'ROUTE_PORTING_ROW_INVALID', line: 2 });
  });

  test('a file that cannot be read is a configuration error naming the setting', async () => {
    const missing = join(dir, 'missing.csv');
    await expect(loadPortingFile(missing, { setting: 'gateway.yaml: mnp.file' })).rejects.toMatchObject({
      code: 'ROUTE_CONFIG_INVALID',
      message: expect.stringContaining(`gateway.yaml: mnp.file: cannot read "${missing}"`) as unknown,
    });
  });
});

describe('portingFileOf', () => {
  const table = (mnp?: Record<string, unknown>) =>
    buildRoutingTable({ routes: { r: { strategy: 'failover', connectors: [{ id: 'c' }] } }, rules: [{ name: 'default', route: 'r' }], ...(mnp === undefined ? {} : { mnp }) }, { fileName: 'gateway.yaml' });

  test('mnp.file is relative to the configuration file, or to the working directory without one', () => {
    expect(portingFileOf(table({ file: 'data/ports.csv', country: 'JP' }), '/etc/smsgw/gateway.yaml')).toBe('/etc/smsgw/data/ports.csv');
    expect(portingFileOf(table({ file: '/srv/ports.csv' }), '/etc/smsgw/gateway.yaml')).toBe('/srv/ports.csv');
    expect(portingFileOf(table({ file: 'ports.csv' }), undefined)).toBe(join(process.cwd(), 'ports.csv'));
    expect(portingFileOf(table(), '/etc/smsgw/gateway.yaml')).toBeUndefined();
  });
});
