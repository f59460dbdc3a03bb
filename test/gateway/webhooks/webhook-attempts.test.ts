/**
 * Every webhook attempt is counted as it ends (`smsgw_webhooks_total{outcome}`: delivered, retry, gave_up) and
 * every failed one logged once, naming the receiver by origin only. The clock is injected: the schedule's
 * hours pass in one step.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { MemoryWebhookQueue } from '../../../gateway/adapters/memory/memory-webhook-queue.ts';
import { GatewayMetrics } from '../../../gateway/index.ts';
import { webhookObserver } from '../../../gateway/webhooks/webhook-observer.ts';
import { WebhookSender } from '../../../gateway/webhooks/webhook-sender.ts';
import { captureLog, WARN } from '../../support/log-capture.ts';
import { waitFor } from '../../support/wait-for.ts';

let server: Server | undefined;
let sender: WebhookSender | undefined;
afterEach(async () => {
  await sender?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

async function receiver(answers: number[]): Promise<{ url: string; posts: () => number }> {
  let posts = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts += 1;
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}/hook?token=s3cr3t-token`, posts: () => posts };
}

test('each attempt is counted when it ends, not when the schedule runs out, and each failure is logged once', async () => {
  const { url, posts } = await receiver([500, 503, 500]);
  const metrics = new GatewayMetrics({ processMetrics: false });
  const capture = captureLog();
  const queue = new MemoryWebhookQueue();
  let now = 1_000_000;
  const HOUR = 3_600_000;
  sender = new WebhookSender({ queue, schedule: [HOUR, 4 * HOUR], allow: ['127.0.0.1/32'], now: () => now, observer: webhookObserver(metrics, capture.log) });
  const outcomes = async (): Promise<Record<string, number>> => Object.fromEntries((await metrics.webhooks.get()).values.map((v) => [String(v.labels.outcome), v.value]));
  const settled = async (count: number): Promise<void> => {
    await waitFor(async () => (Object.values(await outcomes()).reduce((a, b) => a + b, 0) === count ? true : undefined), `${count} attempts counted`);
  };

  await queue.add([{ id: 'm1:delivered', url, secret: 'a-very-long-webhook-secret', body: '{"to":"+819012345678"}' }], now);
  sender.nudge();
  await settled(1);
  // The first failure shows at once, hours before the schedule ends.
  expect(await outcomes()).toEqual({ retry: 1 });
  now += HOUR;
  sender.nudge();
  await settled(2);
  expect(await outcomes()).toEqual({ retry: 2 });
  now += 4 * HOUR;
  sender.nudge();
  await settled(3);
  expect(await outcomes()).toEqual({ retry: 2, gave_up: 1 });
  expect(posts()).toBe(3);

  await queue.add([{ id: 'm2:delivered', url, secret: 'a-very-long-webhook-secret', body: '{}' }], now);
  sender.nudge();
  await settled(4);
  expect(await outcomes()).toEqual({ retry: 2, gave_up: 1, delivered: 1 });

  const lines = capture.lines();
  expect(lines.map((line) => [line.level, line.msg, line.webhookId, line.attempt, line.reason])).toEqual([
    [WARN, 'webhook attempt failed; trying again later', 'm1:delivered', 1, 'HTTP 500'],
    [WARN, 'webhook attempt failed; trying again later', 'm1:delivered', 2, 'HTTP 503'],
    [WARN, 'webhook attempt failed; schedule ran out, given up', 'm1:delivered', 3, 'HTTP 500'],
  ]);
  expect(lines[0]).toMatchObject({ target: new URL(url).origin, retryInMs: HOUR });
  // Neither the URL's token, nor the secret, nor the body's number.
  expect(JSON.stringify(lines)).not.toMatch(/s3cr3t|a-very-long-webhook-secret|9012345678/);
});
