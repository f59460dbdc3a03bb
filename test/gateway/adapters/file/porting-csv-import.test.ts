import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { importPortingCsv } from '../../../../gateway/index.ts';
import { MemoryPortingSource } from '../../../../router/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'smsgw-mnp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function run(content: string, options: { defaultCountry?: string; batchSize?: number; knownCarriers?: ReadonlySet<string> } = {}) {
  const file = join(dir, `f${n++}.csv`);
  writeFileSync(file, content);
  const source = new MemoryPortingSource();
  const bad: [number, string][] = [];
  const summary = await importPortingCsv(file, source, { ...options, onBadRow: (line, reason) => bad.push([line, reason]) });
  return { summary, source, bad };
}

describe('importPortingCsv', () => {
  test('bad rows are reported with their line numbers and the good rows around them are stored', async () => {
    const { summary, source, bad } = await run(
      [
        'number,carrier,effective_date', // 1
        '+819012345678,au', // 2
        '# comment line', // 3
        '', // 4
        'not-a-number,au', // 5
        '+819012345679,docomo,2024-04-01', // 6
        '+819012345670,docomo,someday', // 7
        '+819012345671', // 8
        '+819012345672,softbank,2024-04-01,extra', // 9
        '+819012345673,rakuten', // 10
      ].join('\n'),
    );
    expect(bad.map(([line]) => line)).toEqual([5, 7, 8, 9]);
    expect(bad[0]?.[1]).toMatch(/not a phone number/);
    expect(summary).toMatchObject({ rows: 7, imported: 3, bad: 4, headerSkipped: true });
    expect(source.size).toBe(3);
    expect(source.peek('+819012345679')).toEqual({ e164: '+819012345679', carrier: 'docomo', effectiveDate: '2024-04-01' });
    expect(source.peek('+819012345673')?.carrier).toBe('rakuten');
  });

  test('no header, CRLF line ends, a BOM, quoted fields and mixed field counts', async () => {
    const { summary, source, bad } = await run('\uFEFF+819012345678,au\r\n"+81 90 1234 5679","docomo","2024-04-01"\r\n+819012345670,softbank,\r\n');
    expect(bad).toEqual([]);
    expect(summary).toMatchObject({ rows: 3, imported: 3, headerSkipped: false });
    expect(source.peek('+819012345679')).toEqual({ e164: '+819012345679', carrier: 'docomo', effectiveDate: '2024-04-01' });
    expect(source.peek('+819012345670')).toEqual({ e164: '+819012345670', carrier: 'softbank' });
  });

  test('national numbers need the default country', async () => {
    const without = await run('090-1234-5678,au\n');
    expect(without.bad).toEqual([[1, expect.stringMatching(/national/) as unknown]]);
    const withCountry = await run('090-1234-5678,au\n', { defaultCountry: 'JP' });
    expect(withCountry.source.peek('+819012345678')?.carrier).toBe('au');
  });

  test('an unclosed quote stops the reading with a line-numbered error; rows before it are stored', async () => {
    const { summary, source, bad } = await run('+819012345678,au\n+819012345679,docomo\n"+819012345670,softbank\n+819012345671,au\n');
    expect(source.size).toBe(2);
    expect(summary.bad).toBe(1);
    expect(bad[0]?.[0]).toBe(3);
    expect(bad[0]?.[1]).toMatch(/CSV syntax/);
  });

  test('many rows in several batches, every one stored, a later row for a number wins', async () => {
    const lines = Array.from({ length: 2_500 }, (_, i) => `+819010${String(i).padStart(6, '0')},${i % 2 === 0 ? 'au' : 'docomo'}`);
    lines.push('+819010000000,rakuten');
    const { summary, source } = await run(lines.join('\n'), { batchSize: 300 });
    expect(summary.imported).toBe(2_501);
    expect(source.size).toBe(2_500);
    expect(source.peek('+819010000000')?.carrier).toBe('rakuten');
    expect(source.peek('+819010002499')?.carrier).toBe('docomo');
  });

  test('numbers invalid for their country and carriers outside knownCarriers are bad rows', async () => {
    const { summary, source, bad } = await run('+81901234,docomo\n+819012345678,notacarrier\n+819012345679,rakuten\n', {
      knownCarriers: new Set(['docomo', 'rakuten']),
    });
    expect(bad).toEqual([
      [1, expect.stringMatching(/number "\+81901234": .*too short/) as unknown],
      [2, expect.stringMatching(/carrier "notacarrier" is not a known carrier/) as unknown],
    ]);
    expect(summary).toMatchObject({ rows: 3, imported: 1, bad: 2 });
    expect(source.peek('+819012345679')?.carrier).toBe('rakuten');
  });
});
