/** One contract for every LinkStore adapter (memory, Redis). */
import { describe, expect, test } from 'vitest';
import type { LinkStore, NewShortLink } from '../../../gateway/ports/link-store.ts';

const T0 = Date.UTC(2026, 0, 15, 3, 0, 0);
const HOUR = 3_600_000;

function link(code: string, extra: Partial<NewShortLink> = {}): NewShortLink {
  return { code, accountId: 'acct-a', target: 'https://shop.example.jp/sale?x=1', expiresAt: T0 + HOUR, createdAt: T0, messageId: 'm-1', recipient: '+819012345678', ...extra };
}

/** `make` gives a fresh, empty store; links are retained far in the future so a real-clock TTL never ends them. */
export function linkStoreContract(name: string, make: () => LinkStore): void {
  const retain = Date.now() + 24 * HOUR;
  describe(`LinkStore contract: ${name}`, () => {
    test('a link is read back as made, with no clicks; a taken code is refused and keeps the first link', async () => {
      const store = make();
      expect(await store.create(link('Abc123XYZ0', { campaignId: 'c-1', token: true }), retain)).toBe(true);
      expect(await store.create(link('Abc123XYZ0', { target: 'https://evil.example.com/' }), retain)).toBe(false);
      expect(await store.get('Abc123XYZ0')).toEqual({ ...link('Abc123XYZ0', { campaignId: 'c-1', token: true }), clicks: 0, botClicks: 0 });
      expect(await store.get('Zzzzzzzzzz')).toBeUndefined();
    });

    test('optional fields stay absent', async () => {
      const store = make();
      const bare: NewShortLink = { code: 'Bare000001', accountId: 'acct-a', target: 'http://example.com/', expiresAt: T0 + HOUR, createdAt: T0 };
      await store.create(bare, retain);
      expect(await store.get('Bare000001')).toEqual({ ...bare, clicks: 0, botClicks: 0 });
    });

    test('clicks: the first human click is first, repeats are counted, bots apart; last and first click times', async () => {
      const store = make();
      await store.create(link('Click00001'), retain);
      const bot = await store.click('Click00001', 'bot', T0 + 1);
      expect(bot).toMatchObject({ outcome: 'counted', first: false, link: { clicks: 0, botClicks: 1 } });
      const first = await store.click('Click00001', 'human', T0 + 2);
      expect(first).toMatchObject({ outcome: 'counted', first: true, link: { clicks: 1, botClicks: 1, firstClickAt: T0 + 2, lastClickAt: T0 + 2 } });
      const again = await store.click('Click00001', 'human', T0 + 3);
      expect(again).toMatchObject({ outcome: 'counted', first: false, link: { clicks: 2, firstClickAt: T0 + 2, lastClickAt: T0 + 3 } });
      expect(await store.get('Click00001')).toMatchObject({ clicks: 2, botClicks: 1, firstClickAt: T0 + 2, lastClickAt: T0 + 3 });
    });

    test('unknown codes and expired links: nothing counted', async () => {
      const store = make();
      await store.create(link('Expire0001'), retain);
      expect(await store.click('Nothing001', 'human', T0)).toEqual({ outcome: 'unknown' });
      expect(await store.click('Expire0001', 'human', T0 + HOUR)).toMatchObject({ outcome: 'expired', link: { clicks: 0 } });
      expect(await store.get('Expire0001')).toMatchObject({ clicks: 0, botClicks: 0 });
    });

    test('concurrent first clicks: exactly one is first', async () => {
      const store = make();
      await store.create(link('Race000001'), retain);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.click('Race000001', 'human', T0 + i)));
      expect(results.filter((r) => r.outcome === 'counted' && r.first)).toHaveLength(1);
      expect(await store.get('Race000001')).toMatchObject({ clicks: 20 });
    });

    test('concurrent creates of one code: exactly one wins', async () => {
      const store = make();
      const made = await Promise.all(Array.from({ length: 10 }, (_, i) => store.create(link('Same000001', { target: `https://example.com/${i}` }), retain)));
      expect(made.filter(Boolean)).toHaveLength(1);
    });
  });
}
