import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BUILTIN_RANGE_FILES, PrefixTable, parseRangeData } from '../../../router/index.ts';

const dataFile = (name: string): string => readFileSync(new URL(`../../../router/data/${name}`, import.meta.url), 'utf8');

describe('parseRangeData', () => {
  test('reads prefix,carrier[,name] lines, skipping comments and blanks', () => {
    const entries = parseRangeData('# header\n\n+8190,docomo,NTT docomo\n8180 , au   # trailing comment\r\n447,vodafone,Vodafone, UK\n', 'ranges', 'x.csv');
    expect(entries).toEqual([
      { prefix: '8190', carrier: 'docomo', name: 'NTT docomo', source: 'ranges' },
      { prefix: '8180', carrier: 'au', source: 'ranges' },
      { prefix: '447', carrier: 'vodafone', name: 'Vodafone, UK', source: 'ranges' },
    ]);
  });

  test.each([
    ['0190,docomo', 2],
    ['8190', 2],
    ['8190,NTT Docomo', 2],
    ['81x0,docomo', 2],
  ])('refuses %s with the file and line', (line, lineNumber) => {
    expect(() => parseRangeData(`8170,au\n${line}\n`, 'ranges', 'jp.csv')).toThrow(
      expect.objectContaining({ code: 'ROUTE_RANGE_DATA_INVALID', details: expect.objectContaining({ file: 'jp.csv', line: lineNumber }) as unknown }),
    );
  });
});

describe('shipped range data', () => {
  const layers = BUILTIN_RANGE_FILES.map(({ file, source }) => parseRangeData(dataFile(file), source, file));
  const table = PrefixTable.build(layers.flat());

  test.each([
    ['+819011112222', 'docomo', 'ranges'],
    ['+819012345678', 'au', 'ranges'],
    ['+818091234567', 'softbank', 'ranges'],
    ['+817089123456', 'rakuten', 'ranges'],
    ['+819044123456', 'okinawa-cellular', 'ranges'],
    ['+4915112345678', 't-mobile', 'carrier-data'],
    ['+447400123456', 'three', 'carrier-data'],
  ])('%s -> %s from %s', (number, carrier, source) => {
    expect(table.lookup(number)).toMatchObject({ carrier, source });
  });

  test('Japan comes only from the curated file; every curated block is a mobile block (060/070/080/090)', () => {
    const [bulk, curated] = layers;
    expect(bulk?.some((e) => e.prefix.startsWith('81'))).toBe(false);
    expect(curated?.length).toBeGreaterThan(200);
    for (const e of curated ?? []) expect(e.prefix).toMatch(/^81[6-9]0/);
    expect(new Set(curated?.map((e) => e.carrier))).toEqual(new Set(['docomo', 'au', 'softbank', 'rakuten', 'okinawa-cellular']));
  });
});
