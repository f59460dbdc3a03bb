import { describe, expect, test } from 'vitest';
import { HlrHook, type HlrFetcher } from '../../../router/index.ts';

function scripted(answers: Record<string, string | undefined | Error>): { fetcher: HlrFetcher; calls: string[] } {
  const calls: string[] = [];
  const fetcher: HlrFetcher = (e164) => {
    calls.push(e164);
    const answer = answers[e164];
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { fetcher, calls };
}

describe('HlrHook', () => {
  test('caches answers (and "unknown") for the TTL, then asks again', async () => {
    let now = 1_000;
    const { fetcher, calls } = scripted({ '+819012345678': 'au' });
    const hook = new HlrHook({ fetcher, timeoutMs: 1_000, ttlMs: 60_000, now: () => now });
    expect(await hook.lookup('+819012345678')).toBe('au');
    expect(await hook.lookup('+819012345678')).toBe('au');
    expect(await hook.lookup('+819000000000')).toBeUndefined();
    expect(await hook.lookup('+819000000000')).toBeUndefined();
    expect(calls).toEqual(['+819012345678', '+819000000000']);
    now += 60_001;
    expect(await hook.lookup('+819012345678')).toBe('au');
    expect(calls).toHaveLength(3);
    expect(hook.stats).toEqual({ hits: 2, misses: 3, failures: 0 });
  });

  test('a failure resolves to undefined (fallback), is counted, and is not cached', async () => {
    const { fetcher, calls } = scripted({ '+819012345678': new Error('HTTP 500') });
    const hook = new HlrHook({ fetcher, timeoutMs: 1_000, ttlMs: 60_000 });
    expect(await hook.lookup('+819012345678')).toBeUndefined();
    expect(await hook.lookup('+819012345678')).toBeUndefined();
    expect(calls).toHaveLength(2);
    expect(hook.stats.failures).toBe(2);
  });

  test('a fetcher that never answers is abandoned after the timeout and its signal is aborted', async () => {
    let aborted = false;
    const hook = new HlrHook({
      fetcher: (_e164, signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
      timeoutMs: 30,
      ttlMs: 60_000,
    });
    expect(await hook.lookup('+819012345678')).toBeUndefined();
    expect(aborted).toBe(true);
    expect(hook.stats.failures).toBe(1);
  });

  test('concurrent lookups of one number share one request', async () => {
    const { fetcher, calls } = scripted({ '+819012345678': 'docomo' });
    const hook = new HlrHook({ fetcher, timeoutMs: 1_000, ttlMs: 60_000 });
    const answers = await Promise.all([hook.lookup('+819012345678'), hook.lookup('+819012345678'), hook.lookup('+819012345678')]);
    expect(answers).toEqual(['docomo', 'docomo', 'docomo']);
    expect(calls).toHaveLength(1);
  });

  test('the cache is bounded: the oldest entries go first, the newest stay', async () => {
    const { fetcher, calls } = scripted({ '+1': 'a', '+2': 'b', '+3': 'c', '+4': 'd', '+5': 'e' });
    const hook = new HlrHook({ fetcher, timeoutMs: 1_000, ttlMs: 60_000, maxEntries: 4 });
    for (const n of ['+1', '+2', '+3', '+4', '+5', '+5', '+4', '+1']) await hook.lookup(n);
    expect(calls).toEqual(['+1', '+2', '+3', '+4', '+5', '+1']);
  });

  test.each([
    [{ timeoutMs: 0, ttlMs: 10 }],
    [{ timeoutMs: 10, ttlMs: -1 }],
  ])('refuses bad options %j', (options) => {
    expect(() => new HlrHook({ fetcher: () => Promise.resolve(undefined), ...options })).toThrow(expect.objectContaining({ code: 'ROUTE_INVALID_OPTION' }));
  });
});
