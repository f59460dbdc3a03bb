/**
 * Verify API benchmark (a script, never a timed test): `npm run bench:verify`.
 * The gateway's HTTP app listens on a loopback port (embedded memory store, then Redis under a random key prefix,
 * removed afterwards; Redis is skipped when it does not answer); this process is the client. It starts
 * BENCH_VERIFICATIONS verifications (one number each) through POST /v1/verifications with BENCH_CONCURRENCY in
 * flight, then checks each with its right code through POST /v1/verifications/{id}/check, and prints one JSON line
 * per mode: started/s, checked/s and their latency percentiles. No carrier is bound (the codes' messages wait in
 * their queue); the bench reads each code the way only the dispatch worker may, by opening its sealed parts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { buildApp } from '../api/index.ts';
import { createMemoryBackend, createRedisBackend, Gateway, hashApiKey, loadRoutingFile } from '../gateway/index.ts';
import { PartSeal } from '../gateway/messages/part-seal.ts';
import type { MessageBackend } from '../gateway/ports/backend.ts';
import { RouterHandle } from '../router/index.ts';

const COUNT = Number(process.env.BENCH_VERIFICATIONS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = randomBytes(24).toString('base64url');
const SECRET = randomBytes(32);

interface Phase {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function phase<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<Phase> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const t = performance.now();
        await run(item);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
  return { perSecond: Math.round(items.length / seconds), p50Ms: at(0.5), p99Ms: at(0.99) };
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await request(url, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
}

async function run(mode: string, backend: MessageBackend): Promise<void> {
  const gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [
      {
        id: 'bench',
        apiKeyHashes: [hashApiKey(KEY)],
        defaultCountry: 'JP',
        // Limits wide enough for one client sending thousands: the guard's cost is measured, not its refusals.
        verify: { limits: { perAccountPerHour: 10_000_000, perRangePerHour: 10_000_000 }, fraud: { minSamples: 10_000_000 } },
      },
    ],
    verifySecret: SECRET,
  });
  await gateway.start();
  const app = await buildApp({ gateway });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const seal = new PartSeal(SECRET);
  try {
    const numbers = Array.from({ length: COUNT }, (_, i) => `+8190${String(10_000_000 + i * 7_919).slice(-8)}`);
    const started: { id: string; messageId: string }[] = [];
    const start = await phase(numbers, async (to) => {
      const { status, json } = await post(`${base}/v1/verifications`, { to });
      if (status !== 201) throw new Error(`start answered ${status}: ${JSON.stringify(json)}`);
      started.push({ id: json.id as string, messageId: (json.messages as string[])[0] as string });
    });
    const codes = new Map<string, string>();
    for (const { id, messageId } of started) {
      const record = await backend.store.get(messageId);
      if (record === undefined) throw new Error(`message ${messageId} not stored`);
      codes.set(id, /([0-9]{6})/.exec(seal.open(record.envelope.encoded).parts.map((p) => p.text).join(''))?.[1] ?? '');
    }
    let approved = 0;
    const check = await phase(started, async ({ id }) => {
      const { json } = await post(`${base}/v1/verifications/${id}/check`, { code: codes.get(id) });
      if (json.status === 'approved') approved += 1;
    });
    process.stdout.write(`${JSON.stringify({ mode, verifications: COUNT, concurrency: CONCURRENCY, start, check, approved })}\n`);
  } finally {
    await app.close();
    await gateway.stop();
    await backend.close();
  }
}

await run('embedded', createMemoryBackend());
const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
const redisUp = await probe.connect().then(
  () => true,
  () => false,
);
if (redisUp) {
  const prefix = `smsgw-bench-verify:${randomUUID()}:`;
  try {
    await run('redis', createRedisBackend({ url: REDIS_URL, prefix }));
  } finally {
    const keys = await probe.keys(`${prefix}*`);
    for (let i = 0; i < keys.length; i += 1000) await probe.del(...keys.slice(i, i + 1000));
  }
} else {
  process.stdout.write(`${JSON.stringify({ mode: 'redis', skipped: 'Redis did not answer' })}\n`);
}
probe.disconnect();
