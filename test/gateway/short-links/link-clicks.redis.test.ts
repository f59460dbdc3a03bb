/** A click on a message's short link with the Redis backend: one `clicked` timeline entry, the status untouched. */
import { afterAll, expect, test } from 'vitest';
import { createRedisBackend, Gateway, hashApiKey, loadRoutingFile } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { REDIS_URL } from '../../support/test-backends.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';

const testKeys = redisTestKeys();
afterAll(() => testKeys.cleanup());

test('shortenUrls and clicks on Redis', async () => {
  // Redis expires keys on its own clock: the gateway clock starts from the real time here.
  let now = Date.now();
  const backend = createRedisBackend({ url: REDIS_URL, prefix: testKeys.prefix() });
  const gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    roles: ['status'],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
    shortLinks: { baseUrl: 'https://s.example.jp' },
    now: () => now,
  });
  try {
    const accepted = await gateway.messages.submit('demo', { to: '090-1234-5678', text: 'Sale https://shop.example.jp/a', shortenUrls: true });
    const record = await backend.store.get(accepted.id);
    const code = /\/l\/([0-9A-Za-z]{10})$/.exec(record?.envelope.encoded.parts[0]?.text ?? '')?.[1] ?? '';
    expect(await gateway.shortLinks.get(code)).toMatchObject({ messageId: accepted.id, recipient: '+819012345678', clicks: 0 });
    for (const agent of ['Mozilla/5.0 (iPhone)', 'Twitterbot/1.0', 'Mozilla/5.0 (iPhone)']) {
      now += 1000;
      expect(await gateway.shortLinks.follow(code, { method: 'GET', userAgent: agent })).toMatchObject({ outcome: 'redirect', location: 'https://shop.example.jp/a' });
    }
    const after = await backend.store.get(accepted.id);
    expect(after?.status).toBe(record?.status);
    expect(after?.timeline.filter((t) => t.event === 'clicked')).toEqual([{ at: now - 2000, event: 'clicked', detail: code }]);
    expect(await gateway.shortLinks.get(code)).toMatchObject({ clicks: 2, botClicks: 1, firstClickAt: now - 2000, lastClickAt: now });
  } finally {
    await gateway.stop();
    await backend.close();
  }
});
