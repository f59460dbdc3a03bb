import { expect, test } from 'vitest';
import { MemoryPortingSource } from '../../../router/index.ts';
import { describePortingSourceContract } from './porting-source-contract.ts';

describePortingSourceContract('memory', () => Promise.resolve({ source: new MemoryPortingSource() }));

test('replaceWith takes every record of the other source and drops its own (a reload of the portability file)', async () => {
  const live = new MemoryPortingSource();
  await live.set({ e164: '+819012345678', carrier: 'docomo' });
  await live.set({ e164: '+819012340000', carrier: 'au' });
  const next = new MemoryPortingSource();
  await next.set({ e164: '+819012345678', carrier: 'rakuten' });
  live.replaceWith(next);
  expect(await live.getMany(['+819012345678', '+819012340000'])).toEqual([{ e164: '+819012345678', carrier: 'rakuten' }, undefined]);
  expect(live.size).toBe(1);
  expect(next.size).toBe(0);
});
