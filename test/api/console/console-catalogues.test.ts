/** The Japanese and English catalogues hold the same keys, and every template key the layout uses exists. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { catalogueKeys, negotiateLanguage } from '../../../api/console/console-i18n.ts';

describe('console catalogues', () => {
  test('ja and en have exactly the same keys, none empty', () => {
    expect(catalogueKeys('en')).toEqual(catalogueKeys('ja'));
    expect(catalogueKeys('ja').length).toBeGreaterThan(30);
  });

  test("every literal it.t('…') key in the templates is in the catalogues", () => {
    const keys = new Set(catalogueKeys('ja'));
    const dir = new URL('../../../api/console/views/', import.meta.url);
    const missing: string[] = [];
    for (const file of readdirSync(dir)) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      for (const match of text.matchAll(/it\.t\('([A-Za-z0-9_.]*[A-Za-z0-9_])'\s*[,)]/g)) if (!keys.has(match[1] ?? '')) missing.push(`${file}: ${match[1]}`);
    }
    expect(missing).toEqual([]);
  });

  test.each([
    [undefined, undefined, 'ja'],
    [undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, 'fr;q=1, en;q=0.2, ja;q=0.8', 'ja'],
    [undefined, 'de, *;q=0.5', 'ja'],
    ['en', 'ja', 'en'],
    ['xx', 'en', 'en'],
  ])('cookie %s and Accept-Language %s give %s', (cookie, header, expected) => {
    expect(negotiateLanguage(cookie, header)).toBe(expected);
  });
});
