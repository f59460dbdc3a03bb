import { expect, test } from 'vitest';
import { isLinkCode, LINK_CODE_ALPHABET, newLinkCode } from '../../../gateway/short-links/link-code.ts';

test('codes have the asked length and only base62 characters', () => {
  for (const length of [8, 10, 16, 32]) {
    const code = newLinkCode(length);
    expect(code).toHaveLength(length);
    expect(code).toMatch(/^[0-9A-Za-z]+$/);
    expect(isLinkCode(code)).toBe(true);
  }
  expect(LINK_CODE_ALPHABET).toHaveLength(62);
  expect(new Set(LINK_CODE_ALPHABET).size).toBe(62);
});

test('100,000 codes: all distinct, every character used, no code follows from the one before', () => {
  const codes = Array.from({ length: 100_000 }, () => newLinkCode());
  expect(new Set(codes).size).toBe(codes.length);
  const seen = new Set(codes.join(''));
  expect(seen.size).toBe(62);
  // Not sequential: neighbours share a first character about 1 time in 62, never always.
  let sameStart = 0;
  for (let i = 1; i < codes.length; i++) if (codes[i]?.[0] === codes[i - 1]?.[0]) sameStart++;
  expect(sameStart).toBeLessThan(codes.length / 20);
});

test('the draw is asked for the alphabet size (crypto.randomInt draws without modulo bias)', () => {
  const asked: number[] = [];
  const code = newLinkCode(8, (max) => {
    asked.push(max);
    return asked.length - 1;
  });
  expect(asked).toEqual(Array(8).fill(62));
  expect(code).toBe('01234567');
});

test.each([['short', 'Abc1234'], ['too long', 'A'.repeat(33)], ['not base62', 'Abc-1234_x'], ['a path', '../etc/pa']])('not a code: %s', (_name, value) => {
  expect(isLinkCode(value)).toBe(false);
});
