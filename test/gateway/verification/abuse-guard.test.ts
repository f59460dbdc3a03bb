import { describe, expect, test } from 'vitest';
import { MemoryRateCounter } from '../../../gateway/adapters/memory/memory-rate-counter.ts';
import { AbuseGuard, rangeOf, type AbuseRefusal } from '../../../gateway/verification/abuse-guard.ts';
import { verifySettings } from '../../../gateway/verification/verification-settings.ts';

const T0 = Date.UTC(2026, 11, 6, 3, 0, 0);

function guard(): { guard: AbuseGuard; refused: AbuseRefusal[] } {
  const refused: AbuseRefusal[] = [];
  return { guard: new AbuseGuard(new MemoryRateCounter(), (_account, reason) => refused.push(reason)), refused };
}

describe('verification abuse guard', () => {
  test('the number range is the number without its last digits', () => {
    expect(rangeOf('+819012345678', 4)).toBe('+81901234');
    expect(rangeOf('+819012345678', 2)).toBe('+8190123456');
  });

  test('geo permissions: a number outside the allowed countries is refused by name', async () => {
    const { guard: g, refused } = guard();
    const settings = verifySettings({ countries: ['JP'] }, 'JP');
    await expect(g.admit('a', '+14155550100', 'US', settings, T0)).rejects.toMatchObject({ code: 'VERIFY_COUNTRY_NOT_ALLOWED', details: { country: 'US' } });
    await expect(g.admit('a', '+819012345678', 'JP', settings, T0)).resolves.toBeUndefined();
    expect(refused).toEqual(['country']);
  });

  test('per number: the sixth try within the resend window is refused, and counts clear after it', async () => {
    const { guard: g } = guard();
    const settings = verifySettings({}, 'JP');
    for (let i = 0; i < 5; i += 1) await g.admit('a', '+819012345678', 'JP', settings, T0 + i * 1_000);
    await expect(g.admit('a', '+819012345678', 'JP', settings, T0 + 6_000)).rejects.toMatchObject({ code: 'VERIFY_RATE_LIMITED', details: { scope: 'number', limit: 5 } });
    // Another number of the account is untouched.
    await expect(g.admit('a', '+819099999999', 'JP', settings, T0 + 6_000)).resolves.toBeUndefined();
    await expect(g.admit('a', '+819012345678', 'JP', settings, T0 + 20 * 60_000)).resolves.toBeUndefined();
  });

  test('per account: the hourly limit refuses the account, whatever the number', async () => {
    const { guard: g, refused } = guard();
    const settings = verifySettings({ limits: { perAccountPerHour: 3 } }, 'JP');
    for (const n of ['+819011110000', '+818022220000', '+817033330000']) await g.admit('a', n, 'JP', settings, T0);
    await expect(g.admit('a', '+819044440000', 'JP', settings, T0)).rejects.toMatchObject({ code: 'VERIFY_RATE_LIMITED', details: { scope: 'account' } });
    await expect(g.admit('b', '+819044440000', 'JP', settings, T0)).resolves.toBeUndefined();
    expect(refused).toEqual(['account']);
  });

  test('SMS pumping by velocity: many numbers of one range in an hour are refused; another range goes on', async () => {
    const { guard: g, refused } = guard();
    const settings = verifySettings({ limits: { perRangePerHour: 10 } }, 'JP');
    for (let i = 0; i < 10; i += 1) await g.admit('a', `+81901234${String(i).padStart(4, '0')}`, 'JP', settings, T0 + i);
    await expect(g.admit('a', '+819012340099', 'JP', settings, T0 + 20)).rejects.toMatchObject({ code: 'VERIFY_FRAUD_SUSPECTED', details: { signal: 'velocity', range: '+81901234…' } });
    await expect(g.admit('a', '+819055550001', 'JP', settings, T0 + 21)).resolves.toBeUndefined();
    expect(refused).toEqual(['velocity']);
  });

  test('SMS pumping by conversion: codes sent to a range and almost never approved close it; approvals keep it open', async () => {
    const { guard: g } = guard();
    const settings = verifySettings({ fraud: { minSamples: 10, minConversion: 0.2 }, limits: { perRangePerHour: 1_000 } }, 'JP');
    const pumped = (i: number): string => `+81901234${String(i).padStart(4, '0')}`;
    const real = (i: number): string => `+81805678${String(i).padStart(4, '0')}`;
    for (let i = 0; i < 10; i += 1) {
      await g.admit('a', pumped(i), 'JP', settings, T0 + i);
      await g.sent('a', pumped(i), settings, T0 + i);
      await g.admit('a', real(i), 'JP', settings, T0 + i);
      await g.sent('a', real(i), settings, T0 + i);
      if (i % 2 === 0) await g.approved('a', real(i), settings, T0 + i);
    }
    await expect(g.admit('a', pumped(50), 'JP', settings, T0 + 100)).rejects.toMatchObject({ code: 'VERIFY_FRAUD_SUSPECTED', details: { signal: 'conversion' } });
    await expect(g.admit('a', real(50), 'JP', settings, T0 + 100)).resolves.toBeUndefined();
  });
});
