/**
 * A gateway restart mid-campaign in Redis mode: the first gateway sends part of a paced campaign and stops; a
 * second one on the same Redis prefix resumes it from the stored cursor. One recipient's submit is made as if the
 * first process had crashed between the submit and the record of it: the second process submits it again with the
 * same Idempotency-Key, gets the same message back, and the carrier still sees exactly one send per recipient.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, test } from 'vitest';
import { createRedisBackend } from '../../../gateway/index.ts';
import { REDIS_URL } from '../../support/test-backends.ts';
import { waitFor } from '../../support/wait-for.ts';
import { campaignGateway, rowsOf } from './campaign-harness.ts';

const prefix = `smsgw-test:campaigns:${randomUUID()}:`;

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

test('a restart mid-campaign resumes where it was: every recipient sent exactly once', async () => {
  const rows = rowsOf(12);
  const first = await campaignGateway({ backend: createRedisBackend({ url: REDIS_URL, prefix }), consumer: 'first' });
  const { campaign } = await first.gw.campaigns.create('demo', { kind: 'rows', rows }, { template: 'Hi {{name}}' }, { pacing: { segmentsPerSecond: 1 } });
  await first.clock.advance(10);
  // Redis answers in real time: each look moves the clock a little and lets the I/O run.
  await waitFor(async () => {
    await first.clock.advance(100);
    return first.carrier.sent().length >= 4;
  }, 'four sent');
  await first.stop();
  const stopped = await first.gw.campaigns.get('demo', campaign.id).catch(() => undefined);
  const cursor = stopped?.progress.handedOn ?? first.carrier.sent().length;
  expect(stopped?.state).toBe('running');

  // The crash window: the next recipient's submit happened, its record did not.
  const key = `campaign:${campaign.id}:${cursor}`;
  const to = `+81${rows[cursor]?.phone.slice(1) ?? ''}`;
  let early: { id: string } | undefined;
  const second = await campaignGateway({
    start: first.clock.now + 5_000,
    backend: createRedisBackend({ url: REDIS_URL, prefix }),
    consumer: 'second',
    beforeStart: async (gw) => {
      early = await gw.messages.submit('demo', { to, text: `Hi Hello ${cursor}`, priority: 'bulk', tag: 'campaign', clientRef: key }, key);
    },
  });
  const done = await second.until(campaign.id, 'completed after the restart', (view) => view.state === 'completed' && view.counts.delivered === 12);
  expect(done.counts).toMatchObject({ pending: 0, queued: 0, failed: 0, delivered: 12 });
  await waitFor(() => first.carrier.sent().length + second.carrier.sent().length === 12, 'twelve sends in all');
  const sends = [...first.carrier.sent(), ...second.carrier.sent()].map((request) => request.to);
  expect(sends.toSorted()).toEqual(rows.map((row) => `+81${row.phone.slice(1)}`));
  const recipient = (await second.gw.campaigns.recipients('demo', campaign.id, { cursor, limit: 1 })).items[0];
  expect(recipient?.messageId).toBe(early?.id);
  await second.stop();
});
