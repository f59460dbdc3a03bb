/**
 * A campaign in Kafka mode: its recipients follow their messages' status events through the campaigns consumer
 * group (the `status` role), so every recipient ends delivered with its times, and the SMSC gets each one once.
 * Its state changes are records on the campaigns topic (key: the campaign id), valid against their published
 * schema, and the webhooks group makes each one a signed callback.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterEach, expect, inject, test } from 'vitest';
import { verifyWebhook } from '../../../gateway/index.ts';
import { KafkaHarness, SECRET, waitFor } from './kafka-harness.ts';

const schema = JSON.parse(readFileSync(new URL('../../../gateway/events/schemas/campaign.status.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true });
(formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
const validate = ajv.compile(schema);

let harness: KafkaHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('every recipient of a campaign ends delivered through the Kafka events, each sent once; its state changes are schema-valid records and signed webhooks', async () => {
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

  const records = await harness.read(harness.settings.topics.campaigns, (all) => all.length >= 2);
  expect(records.map((r) => [r.key, r.value.state, r.value.revision])).toEqual([
    [campaign.id, 'running', 1],
    [campaign.id, 'completed', 2],
  ]);
  for (const record of records) expect({ valid: validate(record.value), errors: validate.errors ?? [] }).toEqual({ valid: true, errors: [] });
  expect(records[1]?.value).toMatchObject({ campaignId: campaign.id, accountId: 'demo', recipients: 6, handedOn: 6, counts: { pending: 0 } });
  const hooks = await waitFor(() => {
    const mine = harness?.hooks.hooks.filter((h) => h.body.includes('"campaign.status"')) ?? [];
    return mine.length >= 2 ? mine : undefined;
  }, 'the two campaign webhooks');
  expect(hooks.map((h) => h.eventId).sort()).toEqual([`${campaign.id}:1`, `${campaign.id}:2`]);
  for (const hook of hooks) expect(verifyWebhook(SECRET, hook.body, hook.signature, Math.floor(Date.now() / 1000))).toBe(true);
});
