/**
 * A gateway restart mid-campaign in Redis mode: the first gateway sends part of a paced campaign and stops; a
 * second one on the same Redis prefix resumes it from the stored cursor. One recipient is left as if the first
 * process had crashed between the submit and its confirm (claimed with its message id, the message stored): the
 * second process finds that message stored and confirms it without a second submit, and the carrier sees exactly
 * one send per recipient.
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

  // The crash window: the next recipient was claimed and its submit stored; the confirm was not.
  const key = `campaign:${campaign.id}:${cursor}`;
  const to = `+81${rows[cursor]?.phone.slice(1) ?? ''}`;
  const messageId = randomUUID();
  const backend = createRedisBackend({ url: REDIS_URL, prefix });
  let early: { id: string } | undefined;
  const second = await campaignGateway({
    start: first.clock.now + 5_000,
    backend,
    consumer: 'second',
    beforeStart: async (gw) => {
      expect(await backend.campaigns.claim(campaign.id, cursor, messageId, first.clock.now)).toBe(true);
      early = await gw.messages.submit('demo', { to, text: `Hi Hello ${cursor}`, priority: 'bulk', tag: 'campaign', clientRef: key }, key, { messageId });
    },
  });
  const done = await second.until(campaign.id, 'completed after the restart', (view) => view.state === 'completed' && view.counts.delivered === 12);
  expect(done.counts).toMatchObject({ pending: 0, queued: 0, failed: 0, delivered: 12 });
  await waitFor(() => first.carrier.sent().length + second.carrier.sent().length === 12, 'twelve sends in all');
  const sends = [...first.carrier.sent(), ...second.carrier.sent()].map((request) => request.to);
  expect(sends.toSorted()).toEqual(rows.map((row) => `+81${row.phone.slice(1)}`));
  const recipient = (await second.gw.campaigns.recipients('demo', campaign.id, { cursor, limit: 1 })).items[0];
  expect(early?.id).toBe(messageId);
  expect(recipient?.messageId).toBe(messageId);
  await second.stop();
});
