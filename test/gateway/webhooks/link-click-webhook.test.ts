import { expect, test } from 'vitest';
import type { AccountConfig } from '../../../gateway/index.ts';
import { linkClickedEvent } from '../../../gateway/short-links/link-clicked-event.ts';
import { mayCallBack, webhookJobFor } from '../../../gateway/webhooks/webhook-job.ts';

const account: AccountConfig = { id: 'acct-a', apiKeyHashes: ['0'.repeat(64)], callbackUrl: 'https://hooks.example.com/sms', callbackSecret: 'a-secret-of-16-chars' };
const link = { code: 'Abc123XYZ0', accountId: 'acct-a', target: 'https://shop.example.jp/', expiresAt: 2_000_000, createdAt: 0, clicks: 1, botClicks: 0, firstClickAt: 1_000 };

test('human clicks (first and repeat) go to the account callback URL; bot requests stay on the event log', () => {
  const first = linkClickedEvent({ link, at: 1_000, kind: 'human', first: true });
  const repeat = linkClickedEvent({ link: { ...link, clicks: 2 }, at: 2_000, kind: 'human', first: false });
  const bot = linkClickedEvent({ link: { ...link, botClicks: 1 }, at: 3_000, kind: 'bot', first: false });
  expect([first.id, repeat.id, bot.id]).toEqual(['Abc123XYZ0:first:1', 'Abc123XYZ0:repeat:2', 'Abc123XYZ0:bot:1']);
  expect(webhookJobFor(first, account)).toEqual({ id: first.id, url: 'https://hooks.example.com/sms', secret: 'a-secret-of-16-chars', body: JSON.stringify(first) });
  expect(webhookJobFor(repeat, account)?.url).toBe('https://hooks.example.com/sms');
  expect(webhookJobFor(bot, account)).toBeUndefined();
  expect([mayCallBack('link.clicked', 'first'), mayCallBack('link.clicked', 'repeat'), mayCallBack('link.clicked', 'bot')]).toEqual([true, true, false]);
  const { callbackUrl: _url, ...noCallback } = account;
  expect(webhookJobFor(first, noCallback)).toBeUndefined();
});
