import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { codeDigest, codeMatches, generateCode } from '../../../gateway/verification/verification-code.ts';

describe('one-time codes', () => {
  test('codes have the asked length in digits, 4 to 10, and other lengths are refused', () => {
    for (const length of [4, 6, 10]) expect(generateCode(length)).toMatch(new RegExp(`^[0-9]{${length}}$`));
    for (const length of [3, 11, 6.5]) expect(() => generateCode(length)).toThrow(RangeError);
  });

  test('every digit is equally likely in every position (chi-square over 60,000 digits)', () => {
    const counts = Array.from({ length: 6 }, () => new Array<number>(10).fill(0));
    const draws = 10_000;
    for (let i = 0; i < draws; i += 1) {
      const code = generateCode(6);
      for (let p = 0; p < 6; p += 1) {
        const row = counts[p] as number[];
        const digit = Number(code.charAt(p));
        row[digit] = (row[digit] ?? 0) + 1;
      }
    }
    for (const position of counts) {
      const expected = draws / 10;
      const chi = position.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
      // 9 degrees of freedom: p = 0.0001 at 33.7. A remainder-biased draw (e.g. a byte % 10) gives about 150 here.
      expect(chi).toBeLessThan(33.7);
    }
  });

  test('the digest binds the code to its verification and to the secret; only the right code matches', () => {
    const secret = randomBytes(32);
    const digest = codeDigest(secret, 'v-1', '123456');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain('123456');
    expect(codeDigest(secret, 'v-2', '123456')).not.toBe(digest);
    expect(codeDigest(randomBytes(32), 'v-1', '123456')).not.toBe(digest);
    expect(codeMatches(secret, 'v-1', '123456', digest)).toBe(true);
    expect(codeMatches(secret, 'v-1', '123457', digest)).toBe(false);
    expect(codeMatches(secret, 'v-2', '123456', digest)).toBe(false);
    expect(codeMatches(secret, 'v-1', '123456', 'abcd')).toBe(false);
  });
});
