/**
 * A campaign in Kafka mode: its recipients follow their messages' status events through the campaigns consumer
 * group (the `status` role), so every recipient ends delivered with its times, and the SMSC gets each one once.
 */
import { afterEach, expect, inject, test } from 'vitest';
import { KafkaHarness, waitFor } from './kafka-harness.ts';

let harness: KafkaHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('every recipient of a campaign ends delivered through the Kafka events, each sent once', async () => {
  harness = new KafkaHarness({ brokers: inject('kafkaBrokers') });
  const gateway = await harness.start();
  const rows = Array.from({ length: 6 }, (_, i) => ({ phone: `0908200000${i}`, name: `様${i}` }));
  const { campaign } = await gateway.campaigns.create('demo', { kind: 'rows', rows }, { template: '{{name}} お知らせです' }, {});
  const done = await waitFor(async () => {
    const view = await gateway.campaigns.get('demo', campaign.id);
    return view.counts.delivered === 6 ? view : undefined;
  }, 'every recipient delivered');
  expect(done.state).toBe('completed');
  const { items } = await gateway.campaigns.recipients('demo', campaign.id, { limit: 10 });
  for (const item of items) {
    expect(item).toMatchObject({ status: 'delivered' });
    // Each step with its time, in order.
    const times = [item.queuedAt, item.sentAt, item.deliveredAt].map((at) => Date.parse(at ?? ''));
    expect(times.every((t) => Number.isFinite(t))).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  }
  const atSmsc = harness.simulator.messages({}).filter((m) => m.to.startsWith('8190820000'));
  expect(atSmsc.map((m) => m.to).sort()).toEqual(rows.map((r) => `81${r.phone.slice(1)}`).sort());
});
