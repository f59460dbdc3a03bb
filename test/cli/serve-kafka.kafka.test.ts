/**
 * `smsgw serve` with REDIS_URL and KAFKA_BROKERS: the composition root wires the Kafka pipeline (topics created
 * at start, receipts and events through the broker), a message is delivered, its events are on the events topic,
 * and SIGTERM stops it cleanly. Without REDIS_URL, KAFKA_BROKERS is refused with a clear error.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, expect, inject, test } from 'vitest';
import { spawnServe } from './run-cli.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let child: ChildProcess | undefined;
const prefix = `smsgw-test:${randomBytes(4).toString('hex')}:`;

afterEach(async () => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function serve(env: NodeJS.ProcessEnv): ReturnType<typeof spawnServe> {
  const started = spawnServe(env);
  child = started.child;
  return started;
}

test('serve on Redis and Kafka delivers a message and puts its events on the events topic', async () => {
  const brokers = inject('kafkaBrokers');
  const { ready, exited } = serve({ REDIS_URL, REDIS_PREFIX: prefix, KAFKA_BROKERS: brokers.join(',') });
  const { url, apiKey, banner } = await ready;
  expect(banner).toContain('Redis store and Kafka events');
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const sent = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ to: '090-1234-5678', text: '明日10時にお届けします。' }) });
  expect(sent.status).toBe(202);
  const { id } = (await sent.json()) as { id: string };
  let status = '';
  for (let i = 0; i < 300 && status !== 'delivered'; i += 1) {
    status = ((await (await fetch(`${url}/v1/messages/${id}`, { headers })).json()) as { status: string }).status;
    if (status !== 'delivered') await new Promise((r) => setTimeout(r, 50));
  }
  expect(status).toBe('delivered');

  const kafka = new Kafka({ clientId: 'serve-test', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `serve-test-${randomBytes(3).toString('hex')}` });
  const statuses: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: 'sms.events', fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`events so far: ${statuses.join(',')}`)), 20_000);
      void consumer.run({
        eachMessage: ({ message }) => {
          const event = JSON.parse(message.value?.toString() ?? '{}') as { type?: string; messageId?: string; status?: string };
          if (event.messageId === id && event.type === 'message.status') statuses.push(String(event.status));
          if (statuses.includes('delivered')) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  expect(statuses).toEqual(['accepted', 'queued', 'sending', 'submitted', 'delivered']);
  child?.kill('SIGTERM');
  expect((await exited).code).toBe(0);
}, 90_000);

test('KAFKA_BROKERS without REDIS_URL is refused, naming what is missing', async () => {
  const { exited } = serve({ REDIS_URL: undefined, KAFKA_BROKERS: '127.0.0.1:9' });
  const { code, output } = await exited;
  expect(code).not.toBe(0);
  expect(output).toMatch(/GW_INVALID_CONFIG|Kafka needs Redis/);
}, 60_000);
