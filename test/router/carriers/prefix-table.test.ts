import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PrefixTable, type PrefixEntry } from '../../../router/index.ts';

const entry = (prefix: string, carrier: string): PrefixEntry => ({ prefix, carrier, source: 'ranges' });

describe('PrefixTable', () => {
  const table = PrefixTable.build([entry('8190', 'docomo'), entry('819012', 'au'), entry('8190123', 'softbank'), entry('8180', 'rakuten'), entry('44', 'uk')]);

  test.each([
    ['+819012345678', 'softbank', 'the longest prefix wins'],
    ['+819012045678', 'au', 'a mid-length prefix beats the shorter one'],
    ['+819099999999', 'docomo', 'only the short prefix matches'],
    ['819012345678', 'softbank', 'the + is optional'],
    ['+818012345678', 'rakuten', 'another block'],
    ['+447400123456', 'uk', 'country-wide prefix'],
  ])('%s -> %s (%s)', (number, carrier) => {
    expect(table.lookup(number)?.carrier).toBe(carrier);
  });

  test.each([['+817012345678'], ['+1415555'], [''], ['+'], ['+8']])('%s matches nothing', (number) => {
    expect(table.lookup(number)).toBeUndefined();
  });

  test('a non-digit ends the walk with what matched so far', () => {
    expect(table.lookup('+8190x2345')?.carrier).toBe('docomo');
  });

  test('a later entry for the same prefix replaces the earlier one (curated data over bulk data)', () => {
    const layered = PrefixTable.build([entry('8190', 'bulk'), entry('8190', 'curated')]);
    expect(layered.lookup('+819011112222')?.carrier).toBe('curated');
    expect(layered.size).toBe(1);
  });

  test('returns the prebuilt entry object itself (no allocation per lookup)', () => {
    expect(table.lookup('+819012345678')).toBe(table.lookup('+819012399999'));
  });

  test('rejects a prefix with a non-digit at build time', () => {
    expect(() => PrefixTable.build([entry('81a', 'x')])).toThrow(RangeError);
  });

  test('agrees with a naive longest-prefix scan on random data', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.uniqueArray(digits, { maxLength: 40 }), fc.array(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 10 }), { maxLength: 20 }), (prefixes, numbers) => {
        const built = PrefixTable.build(prefixes.map((p, i) => entry(p, `c${i}`)));
        for (const n of numbers) {
          const naive = prefixes.filter((p) => n.startsWith(p)).sort((a, b) => b.length - a.length)[0];
          expect(built.lookup(n)?.prefix).toBe(naive);
        }
      }),
      { numRuns: 200 },
    );
  });
});
