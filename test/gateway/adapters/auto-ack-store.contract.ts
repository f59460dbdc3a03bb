/** One contract for every AutoAckStore adapter (memory, Redis). */
import { describe, expect, test } from 'vitest';
import type { AutoAckStore } from '../../../gateway/ports/auto-ack-store.ts';

export function autoAckStoreContract(name: string, make: () => AutoAckStore): void {
  describe(`AutoAckStore contract: ${name}`, () => {
    test('the first claim of a number wins; later ones lose while the window holds; accounts are apart', async () => {
      const store = make();
      expect(await store.claim('acct-a', '+819012345678', 3_600_000)).toBe(true);
      expect(await store.claim('acct-a', '+819012345678', 3_600_000)).toBe(false);
      expect(await store.claim('acct-a', '+819011112222', 3_600_000)).toBe(true);
      expect(await store.claim('acct-b', '+819012345678', 3_600_000)).toBe(true);
    });

    test('concurrent claims of one number: exactly one wins', async () => {
      const store = make();
      const answers = await Promise.all(Array.from({ length: 20 }, () => store.claim('acct-a', '+819099990000', 60_000)));
      expect(answers.filter(Boolean)).toHaveLength(1);
    });
  });
}
