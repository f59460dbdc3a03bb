/**
 * Number portability in the running gateway, Redis mode: `smsgw serve` on its embedded defaults with REDIS_URL
 * and a random REDIS_PREFIX reads the ports `smsgw mnp set` writes under the same prefix, live. A number whose
 * range says au is answered au before the port and docomo (source mnp) after it, and the message goes to the
 * docomo carrier's connector (simulated carrier A), where it arrives.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, expect, test } from 'vitest';
import { redisKeys } from '../../gateway/index.ts';
import { waitFor } from '../support/wait-for.ts';
import { runCli, spawnServe } from './run-cli.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-serve-mnp-${randomBytes(4).toString('hex')}:`;
let child: ChildProcess | undefined;

afterEach(() => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  try {
    for await (const keys of redis.scanStream({ match: redisKeys(prefix).allPattern, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
});

interface Accepted {
  readonly id: string;
  readonly carrier: string;
  readonly carrierSource: string;
  readonly connector: string;
}

test('a port set with `smsgw mnp set` decides the carrier of the running gateway on the same Redis and prefix', async () => {
  const serve = spawnServe({ REDIS_URL, REDIS_PREFIX: prefix });
  child = serve.child;
  const { url, apiKey, banner } = await serve.ready;
  expect(banner).toContain(`number portability: Redis, keys ${prefix}mnp:*`);
  const carrierA = /simulated carrier A .*control (http:\/\/\S+)/.exec(banner)?.[1];
  expect(carrierA).toBeDefined();
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const send = async (text: string): Promise<Accepted> => {
    const response = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ to: '090-1234-5678', text }) });
    expect(response.status).toBe(202);
    return (await response.json()) as Accepted;
  };

  expect(await send('before the port')).toMatchObject({ carrier: 'au', carrierSource: 'ranges', connector: 'carrier-b' });

  const set = runCli(['mnp', 'set', '+819012345678', 'docomo', '--redis', REDIS_URL, '--prefix', prefix]);
  expect(set.status).toBe(0);

  const ported = await send('after the port');
  expect(ported).toMatchObject({ carrier: 'docomo', carrierSource: 'mnp', connector: 'carrier-a' });
  const record = await waitFor(async () => {
    const got = (await (await fetch(`${url}/v1/messages/${ported.id}`, { headers })).json()) as { status: string; carrierSource: string; parts: { connector?: string }[] };
    return got.status === 'delivered' ? got : undefined;
  }, 'the ported message delivered');
  expect(record.carrierSource).toBe('mnp');
  expect(record.parts.map((p) => p.connector)).toEqual(['carrier-a']);
  const atA = (await (await fetch(`${carrierA ?? ''}/messages?to=%2B819012345678`)).json()) as { messages: { text: string }[] };
  expect(atA.messages.map((m) => m.text)).toEqual(['after the port']);

  const exited = serve.exited;
  child.kill('SIGTERM');
  expect((await exited).code).toBe(0);
}, 90_000);
