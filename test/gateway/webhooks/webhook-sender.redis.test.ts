/**
 * Webhooks from the Redis queue: a job is stored once per event id (a replay adds nothing, also after it was
 * delivered), a refusing receiver is tried again on the schedule, a job that runs out of schedule is finished
 * and counted as failed, and two senders on one queue never post the same job twice.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, expect, test } from 'vitest';
import { redisKeys, verifyWebhook } from '../../../gateway/index.ts';
import { RedisWebhookQueue } from '../../../gateway/adapters/redis/redis-webhook-queue.ts';
import { WebhookSender } from '../../../gateway/webhooks/webhook-sender.ts';
import { waitFor } from '../../support/wait-for.ts';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `smsgw-test:${randomBytes(4).toString('hex')}:`;
const senders: WebhookSender[] = [];
/** The receiver listens on loopback, which webhooks may reach only when allowed. */
const LOOPBACK = ['127.0.0.1/32'];
let server: Server | undefined;

afterEach(async () => {
  await Promise.all(senders.splice(0).map((sender) => sender.stop()));
  await new Promise((resolve) => server?.close(resolve));
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

async function receiver(answers: number[]): Promise<{ url: string; received: { id: string; body: string; signature: string }[] }> {
  const received: { id: string; body: string; signature: string }[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ id: String(req.headers['smsgw-event-id']), body, signature: String(req.headers['smsgw-signature']) });
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}/hook`, received };
}


test('each event is posted once, retried on refusal, and never again after a replay', async () => {
  const queue = new RedisWebhookQueue(redis, redisKeys(`${prefix}a:`));
  const { url, received } = await receiver([500, 503]);
  const job = { id: 'm1:delivered', url, secret: 'a-very-long-webhook-secret', body: '{"status":"delivered"}' };
  expect(await queue.add([job, job], Date.now())).toBe(1);
  let delivered = 0;
  const sender = new WebhookSender({ allow: LOOPBACK, queue, schedule: [50, 50], pollMs: 20, observer: { delivered: () => (delivered += 1) } });
  senders.push(sender);
  sender.start();
  await waitFor(() => delivered === 1, 'the third attempt to succeed');
  expect(received.map((r) => r.id)).toEqual(['m1:delivered', 'm1:delivered', 'm1:delivered']);
  expect(verifyWebhook('a-very-long-webhook-secret', received[2]?.body ?? '', received[2]?.signature ?? '', Math.floor(Date.now() / 1000))).toBe(true);
  expect(await queue.add([job], Date.now())).toBe(0);
  expect(await queue.waiting()).toBe(0);
  // Once stopped, the sender has ended every attempt it began: none after the third was under way.
  await sender.stop();
  expect(received).toHaveLength(3);
});

test('a job whose schedule runs out is finished as failed', async () => {
  const queue = new RedisWebhookQueue(redis, redisKeys(`${prefix}b:`));
  const { url, received } = await receiver([500, 500, 500, 500]);
  let failed = 0;
  const sender = new WebhookSender({ allow: LOOPBACK, queue, schedule: [30], pollMs: 20, observer: { failed: () => (failed += 1) } });
  senders.push(sender);
  sender.start();
  await queue.add([{ id: 'm2:failed', url, secret: 'a-very-long-webhook-secret', body: '{}' }], Date.now());
  await waitFor(() => failed === 1, 'the job to give up');
  expect(received).toHaveLength(2);
  expect(await queue.waiting()).toBe(0);
});

test('two senders on one queue post each job once', async () => {
  const queue = new RedisWebhookQueue(redis, redisKeys(`${prefix}c:`));
  const { url, received } = await receiver([]);
  for (let i = 0; i < 2; i += 1) {
    const sender = new WebhookSender({ allow: LOOPBACK, queue: new RedisWebhookQueue(redis, redisKeys(`${prefix}c:`)), pollMs: 10, concurrency: 8 });
    senders.push(sender);
    sender.start();
  }
  await queue.add(
    Array.from({ length: 100 }, (_, i) => ({ id: `m${i}:submitted`, url, secret: 'a-very-long-webhook-secret', body: `{"n":${i}}` })),
    Date.now(),
  );
  await waitFor(() => received.length >= 100, 'every job');
  // Both stopped: every attempt either began has ended, so a second post of a job would be here by now.
  await Promise.all(senders.map((sender) => sender.stop()));
  expect(received).toHaveLength(100);
  expect(new Set(received.map((r) => r.id)).size).toBe(100);
});
