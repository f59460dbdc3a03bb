import { expect, test } from 'vitest';
import { RecentMap } from '../../common/index.ts';

test('keeps the most recent entries, drops the oldest generation whole, never returns a stale value', () => {
  const map = new RecentMap<string, number>(10);
  for (let i = 0; i < 1_000; i += 1) map.set(`k${i}`, i);
  expect(map.size).toBeLessThanOrEqual(10);
  expect(map.size).toBeGreaterThanOrEqual(5);
  expect(map.get('k999')).toBe(999);
  expect(map.has('k995')).toBe(true);
  expect(map.get('k0')).toBeUndefined();
  // k995 lives in the older generation now; writing it again must not leave the old value findable.
  map.set('k995', -1);
  expect(map.get('k995')).toBe(-1);
  map.delete('k995');
  expect(map.has('k995')).toBe(false);
});
