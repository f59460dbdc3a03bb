/**
 * The suppression service over the memory store: numbers and senders normalized as submits read them, the
 * account's scope applied to keyword changes only, every change told once stored; and the accept path's check
 * (exempt tags, ignoreSuppression, every sender the message could go out as).
 */
import { describe, expect, test } from 'vitest';
import { AccountRegistry, type AccountConfig } from '../../../gateway/accounts/account-registry.ts';
import { MemorySuppressionStore } from '../../../gateway/adapters/memory/memory-suppression-store.ts';
import { SuppressionCheck } from '../../../gateway/suppressions/suppression-check.ts';
import { SuppressionService, type SuppressionChange } from '../../../gateway/suppressions/suppression-service.ts';
import { isExempt, scopedSender } from '../../../gateway/suppressions/suppression-settings.ts';
import type { SuppressionEntry } from '../../../gateway/ports/suppression-store.ts';

const T0 = Date.UTC(2026, 11, 6, 3, 0, 0);
const KEYWORD = { kind: 'keyword', detail: '配信停止', connector: 'modem-1' } as const;
const API = { kind: 'api', detail: 'key 0123abcd' } as const;

function service(accounts: AccountConfig[]): { suppressions: SuppressionService; changes: SuppressionChange[] } {
  const changes: SuppressionChange[] = [];
  let now = T0;
  const suppressions = new SuppressionService({
    store: new MemorySuppressionStore(),
    accounts: new AccountRegistry(accounts),
    now: () => (now += 1000),
    changed: (change) => {
      changes.push(change);
      return Promise.resolve();
    },
  });
  return { suppressions, changes };
}

const account = (id: string, suppression?: AccountConfig['suppression']): AccountConfig => ({
  id,
  apiKeyHashes: [],
  defaultCountry: 'JP',
  ...(suppression === undefined ? {} : { suppression }),
});

describe('SuppressionService', () => {
  test('national and international forms of a number are one entry; senders are read as originators', async () => {
    const { suppressions } = service([account('a')]);
    await suppressions.suppress('a', { number: '090-1234-5678', sender: '03-1111-2222', reason: 'manual', source: API });
    const found = await suppressions.lookup('a', '+819012345678');
    expect(found.number).toBe('+819012345678');
    expect(found.entries).toMatchObject([{ number: '+819012345678', sender: '+81311112222', reason: 'manual', source: API }]);
    expect(await suppressions.blocking('a', '+819012345678', '+81311112222')).toBeDefined();
    expect(await suppressions.blocking('a', '+819012345678', '+81322223333')).toBeUndefined();
  });

  test('scope "account" (default): a keyword opt-out to one sender blocks every sender of the account', async () => {
    const { suppressions, changes } = service([account('a')]);
    const { entry } = await suppressions.suppress('a', { number: '09012345678', sender: '+81311112222', reason: 'opt-out', source: KEYWORD });
    expect(entry.sender).toBeUndefined();
    expect(await suppressions.blocking('a', '+819012345678', '+81322223333')).toMatchObject({ reason: 'opt-out' });
    // The opt-in keyword to the same sender lifts the same (account-wide) entry.
    expect(await suppressions.lift('a', { number: '09012345678', sender: '+81311112222', source: KEYWORD })).toBeDefined();
    expect(await suppressions.blocking('a', '+819012345678', undefined)).toBeUndefined();
    expect(changes.map((c) => [c.action, c.entry.sender])).toEqual([
      ['suppressed', undefined],
      ['lifted', undefined],
    ]);
  });

  test('scope "sender": a keyword opt-out blocks only the number the recipient wrote to', async () => {
    const { suppressions } = service([account('b', { scope: 'sender' })]);
    const { entry } = await suppressions.suppress('b', { number: '09012345678', sender: '+81311112222', reason: 'opt-out', source: KEYWORD });
    expect(entry.sender).toBe('+81311112222');
    expect(await suppressions.blocking('b', '+819012345678', '+81311112222')).toBeDefined();
    expect(await suppressions.blocking('b', '+819012345678', '+81322223333')).toBeUndefined();
  });

  test('an API or operator change keeps the sender it names (or none) whatever the scope', async () => {
    const { suppressions } = service([account('a'), account('b', { scope: 'sender' })]);
    expect((await suppressions.suppress('a', { number: '09012345678', sender: '+81311112222', reason: 'manual', source: API })).entry.sender).toBe('+81311112222');
    expect((await suppressions.suppress('b', { number: '09012345678', reason: 'manual', source: { kind: 'operator', detail: 'sato' } })).entry.sender).toBeUndefined();
  });

  test('a number that is no number is refused with the router code; an unknown account with GW_NOT_FOUND', async () => {
    const { suppressions, changes } = service([account('a')]);
    await expect(suppressions.suppress('a', { number: 'call me', reason: 'manual', source: API })).rejects.toMatchObject({ code: 'ROUTE_NUMBER_UNPARSABLE' });
    await expect(suppressions.suppress('nobody', { number: '09012345678', reason: 'manual', source: API })).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
    expect(changes).toEqual([]);
  });
});

describe('settings', () => {
  test.each([
    [undefined, 'otp', false],
    [{ exemptTags: [] }, 'otp', false],
    [{ exemptTags: ['otp'] }, 'OTP', true],
    [{ exemptTags: ['otp'] }, 'marketing', false],
    [{ exemptTags: ['otp'] }, undefined, false],
  ])('exempt %j, tag %s: %s', (settings, tag, exempt) => {
    expect(isExempt(settings, tag)).toBe(exempt);
  });

  test('scopedSender drops a keyword sender only under scope "account"', () => {
    expect(scopedSender(undefined, KEYWORD, '+81311112222')).toBeUndefined();
    expect(scopedSender({ scope: 'sender' }, KEYWORD, '+81311112222')).toBe('+81311112222');
    expect(scopedSender({ scope: 'account' }, API, '+81311112222')).toBe('+81311112222');
  });
});

describe('SuppressionCheck', () => {
  const entry: SuppressionEntry = { accountId: 'a', number: '+819012345678', sender: '+81312345678', reason: 'opt-out', source: KEYWORD, createdAt: T0 };
  const calls: (string | undefined)[] = [];
  const refused: string[] = [];
  const check = (suppression?: AccountConfig['suppression']): SuppressionCheck =>
    new SuppressionCheck({
      suppressions: {
        blocking: (_account, _to, sender) => {
          calls.push(sender);
          return Promise.resolve(sender === entry.sender ? entry : undefined);
        },
      },
      account: () => (suppression === undefined ? {} : { suppression }),
      refused: (accountId, e) => refused.push(`${accountId}:${e.reason}`),
    });
  const recipient = { accountId: 'a', to: '+819012345678', senders: ['+81311112222', '+81312345678', '+81312345678', null] };

  test('matches every sender the message could go out as (a rewrite, a failover), each once', async () => {
    calls.length = 0;
    const refusal = await check()
      .check(recipient)
      .catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED', details: { field: 'to', reason: 'opt-out', since: new Date(T0).toISOString() } });
    expect((refusal as Error).message).not.toContain('9012345678');
    expect(calls).toEqual(['+81311112222', '+81312345678']);
    expect(refused).toEqual(['a:opt-out']);
  });

  test('without any sender only the account-wide entry is looked for', async () => {
    calls.length = 0;
    await check().check({ ...recipient, senders: [null] });
    expect(calls).toEqual([undefined]);
  });

  test('begin reads the account-wide entry and the requested sender before routing; check then reads only the other senders', async () => {
    calls.length = 0;
    const screen = check();
    const early = screen.begin({ accountId: 'a', to: recipient.to, requested: '+81311112222' });
    expect(calls).toEqual(['+81311112222']);
    const refusal = await screen.check(recipient, {}, early).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED', details: { reason: 'opt-out' } });
    expect(calls).toEqual(['+81311112222', '+81312345678']);
  });

  test("an early read that found the entry answers alone; one of another number is not used", async () => {
    calls.length = 0;
    const screen = check();
    const early = screen.begin({ accountId: 'a', to: recipient.to, requested: entry.sender ?? null });
    await expect(screen.check({ ...recipient, senders: [entry.sender ?? null, '+81399998888'] }, {}, early)).rejects.toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED' });
    expect(calls).toEqual([entry.sender]);
    calls.length = 0;
    const elsewhere = screen.begin({ accountId: 'a', to: '+819099990000', requested: null });
    await screen.check({ ...recipient, senders: [null] }, {}, elsewhere);
    expect(calls).toEqual([undefined, undefined]);
  });

  test('begin reads nothing for an exempt tag or a service submit; a failed early read fails its check, and answers nobody when no check comes', async () => {
    calls.length = 0;
    expect(check({ exemptTags: ['otp'] }).begin({ accountId: 'a', to: recipient.to, requested: null, tag: 'OTP' })).toBeUndefined();
    expect(check().begin({ accountId: 'a', to: recipient.to, requested: null }, { ignoreSuppression: true })).toBeUndefined();
    expect(calls).toEqual([]);
    const outage = Object.assign(new Error('redis down'), { code: 'GW_STORE_UNAVAILABLE' });
    const failing = new SuppressionCheck({ suppressions: { blocking: () => Promise.reject(outage) }, account: () => ({}) });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      failing.begin({ accountId: 'a', to: recipient.to, requested: null });
      const checked = failing.begin({ accountId: 'a', to: recipient.to, requested: null });
      await expect(failing.check({ ...recipient, senders: [null] }, {}, checked)).rejects.toBe(outage);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('an exempt tag and ignoreSuppression pass without a look-up', async () => {
    calls.length = 0;
    await check({ exemptTags: ['otp'] }).check({ ...recipient, tag: 'Otp' });
    await check().check(recipient, { ignoreSuppression: true });
    expect(calls).toEqual([]);
    await expect(check({ exemptTags: ['otp'] }).check({ ...recipient, tag: 'marketing' })).rejects.toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED' });
  });
});
