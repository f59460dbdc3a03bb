/**
 * Verification statistics through the real gateway (loopback carrier, a clock the test moves), on the memory and
 * the Redis backend: each step counted once on its local day (Asia/Tokyo), refusals by reason, never a code.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { LoopbackDriver, submitted } from '../../../drivers/loopback/index.ts';
import { Gateway, hashApiKey, loadRoutingFile } from '../../../gateway/index.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { statsDays } from '../../../gateway/verification/verification-stats.ts';
import { RouterHandle } from '../../../router/index.ts';
import { testBackends } from '../../support/test-backends.ts';

const backends = testBackends();
afterAll(() => backends.removeRedisKeys());

// 23:58 in Tokyo on 6 December: the code sent last expires on the 7th.
const T0 = Date.parse('2026-12-06T14:58:00Z');

const zeros = { started: 0, sent: 0, approved: 0, failed: 0, max_attempts_reached: 0, expired: 0, canceled: 0 };
const noRefusals = { number: 0, account: 0, velocity: 0, conversion: 0, country: 0, interval: 0 };

describe.each(backends.rows)('verification statistics on the %s backend', (_name, makeBackend) => {
  let gateway: Gateway | undefined;
  let backend: MessageBackend | undefined;
  afterEach(async () => {
    await gateway?.stop();
    await backend?.close();
  });

  test('started, sent, approved, failed, max attempts, canceled, expired and refusals, per Tokyo day', async () => {
    const clock = { now: T0 };
    const driver = new LoopbackDriver({ id: 'smpp-aggregator', now: () => clock.now }).answerEverySend({ answer: submitted() });
    backend = makeBackend(() => clock.now);
    gateway = new Gateway({
      backend,
      router: new RouterHandle(loadRoutingFile(undefined)),
      drivers: [driver],
      accounts: [
        { id: 'shop', apiKeyHashes: [hashApiKey('stats-key-00000000000')], defaultCountry: 'JP', verify: { maxAttempts: 2, countries: ['JP'], limits: { perAccountPerHour: 5 } } },
        { id: 'other', apiKeyHashes: [hashApiKey('stats-key-11111111111')], defaultCountry: 'JP' },
      ],
      usage: { timeZone: 'Asia/Tokyo' },
      verifySecret: Buffer.from('a-deployment-secret-of-32-characters!'),
      now: () => clock.now,
    });
    await gateway.start();
    const verify = gateway.verifications;
    const codeFor = async (e164: string): Promise<string> => {
      await driver.settled();
      const text = driver.sent().findLast((request) => request.to === e164)?.encoded.text ?? '';
      return /認証コード: ([0-9]+)/.exec(text)?.[1] ?? '';
    };

    const a = await verify.start('shop', { to: '090-1111-0001' });
    expect((await verify.check('shop', a.id, await codeFor('+819011110001'))).approved).toBe(true);
    const b = await verify.start('shop', { to: '090-1111-0002' });
    const wrong = (await codeFor('+819011110002')) === '000000' ? '111111' : '000000';
    expect((await verify.check('shop', b.id, wrong)).record.status).toBe('pending');
    expect((await verify.check('shop', b.id, wrong)).record.status).toBe('max_attempts_reached');
    const c = await verify.start('shop', { to: '090-1111-0003' });
    clock.now += 10_000;
    await expect(verify.start('shop', { to: '090-1111-0003' })).rejects.toMatchObject({ code: 'VERIFY_RESEND_TOO_SOON' });
    clock.now += 30_000;
    expect((await verify.start('shop', { to: '090-1111-0003' })).id).toBe(c.id);
    await verify.cancel('shop', c.id);
    await expect(verify.start('shop', { to: '+1 415 555 0100' })).rejects.toMatchObject({ code: 'VERIFY_COUNTRY_NOT_ALLOWED' });
    await verify.start('shop', { to: '090-1111-0004' });
    await expect(verify.start('shop', { to: '090-1111-0005' })).rejects.toMatchObject({ code: 'VERIFY_RATE_LIMITED' });
    await verify.start('other', { to: '090-1111-0006' });
    // The last code expires after midnight in Tokyo, and the sweep ends it then (once, however often it runs).
    clock.now = T0 + 6 * 60_000;
    expect(await verify.sweep()).toBe(2);
    expect(await verify.sweep()).toBe(0);

    const stats = await verify.stats('shop', '2026-12-06', '2026-12-07');
    expect(stats).toEqual({
      accountId: 'shop',
      from: '2026-12-06',
      to: '2026-12-07',
      timeZone: 'Asia/Tokyo',
      total: { started: 4, sent: 5, approved: 1, failed: 1, max_attempts_reached: 1, expired: 1, canceled: 1, refused: { ...noRefusals, account: 1, country: 1, interval: 1 } },
      days: [
        { day: '2026-12-06', started: 4, sent: 5, approved: 1, failed: 1, max_attempts_reached: 1, expired: 0, canceled: 1, refused: { ...noRefusals, account: 1, country: 1, interval: 1 } },
        { day: '2026-12-07', ...zeros, expired: 1, refused: noRefusals },
      ],
    });
    expect((await verify.stats('other', '2026-12-06', '2026-12-07')).total).toEqual({ ...zeros, started: 1, sent: 1, expired: 1, refused: noRefusals });
    // Nothing in the statistics is a code.
    expect(JSON.stringify(stats)).not.toMatch(/[0-9]{6}/);
    driver.assertIdle();
  });
});

test('a range must be real dates, in order, of at most 366 days', () => {
  expect(statsDays('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  expect(() => statsDays('2026-02-30', '2026-03-01')).toThrow(expect.objectContaining({ code: 'VERIFY_INVALID_REQUEST', details: { field: 'from' } }) as Error);
  expect(() => statsDays('2026-03-02', '2026-03-01')).toThrow(expect.objectContaining({ code: 'VERIFY_INVALID_REQUEST', details: { field: 'from' } }) as Error);
  expect(() => statsDays('2026-01-01', '2027-01-02')).toThrow(expect.objectContaining({ code: 'VERIFY_INVALID_REQUEST', details: { field: 'to', limit: 366 } }) as Error);
  expect(statsDays('2028-01-01', '2028-12-31')).toHaveLength(366);
});
