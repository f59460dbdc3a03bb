import { expect, test } from 'vitest';
import { isBotRequest, shortenUrlsIn, urlsIn } from '../../../gateway/index.ts';

test.each([
  ['a URL between words', 'Sale https://shop.example.jp/a?b=1 today', ['https://shop.example.jp/a?b=1']],
  ['a sentence end and a parenthesis stay outside', 'See https://a.example.com/x. Or (http://b.example.com/y)', ['https://a.example.com/x', 'http://b.example.com/y']],
  ['Japanese text right after the URL', '詳しくはhttps://example.jp/abc?x=1をご覧ください', ['https://example.jp/abc?x=1']],
  ['no scheme: left alone', 'visit www.example.com or example.jp, mail a@example.com', []],
  ['other schemes: left alone', 'ftp://example.com/file mailto:a@example.com', []],
])('%s', (_name, text, urls) => {
  expect(urlsIn(text).map((u) => u.url)).toEqual(urls);
});

test('each distinct URL is shortened once and replaced where it stands', async () => {
  const made: string[] = [];
  const text = await shortenUrlsIn('A https://x.example.com/1 B https://y.example.com/2 C https://x.example.com/1', (url) => {
    made.push(url);
    return Promise.resolve(`https://s.example.jp/l/${String(made.length).repeat(10)}`);
  });
  expect(made).toEqual(['https://x.example.com/1', 'https://y.example.com/2']);
  expect(text).toBe('A https://s.example.jp/l/1111111111 B https://s.example.jp/l/2222222222 C https://s.example.jp/l/1111111111');
  expect(await shortenUrlsIn('no links here', () => Promise.reject(new Error('not called')))).toBe('no links here');
});

test.each([
  ['HEAD', 'Mozilla/5.0 (iPhone)', true],
  ['GET', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', true],
  ['GET', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', true],
  ['GET', 'Twitterbot/1.0', true],
  ['GET', 'WhatsApp/2.23.20.0 A', true],
  ['GET', 'Mozilla/5.0 (compatible; Line-Poker/1.0)', true],
  ['GET', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', true],
  ['GET', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1', false],
  ['GET', undefined, false],
])('%s %s: bot %s', (method, agent, bot) => {
  expect(isBotRequest(method, agent)).toBe(bot);
});
