/**
 * Suppression changes in Kafka mode: each goes to the suppressions topic (key `<account>:<number>`, so one
 * number's changes keep their order), valid against its published schema, and the webhooks group turns it into
 * one signed callback to the account's callbackUrl.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterEach, expect, inject, test } from 'vitest';
import { verifyWebhook } from '../../../gateway/index.ts';
import { KafkaHarness, SECRET, waitFor } from './kafka-harness.ts';

const schema = JSON.parse(readFileSync(new URL('../../../gateway/events/schemas/suppression.changed.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true });
(formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
const validate = ajv.compile(schema);

let harness: KafkaHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('an opt-out and its lift are on the suppressions topic in order, and each is one signed webhook', async () => {
  harness = new KafkaHarness({ brokers: inject('kafkaBrokers') });
  const gateway = await harness.start();
  const keyword = { kind: 'keyword', detail: '配信停止', connector: 'smpp-aggregator' } as const;
  await gateway.suppressions.suppress('demo', { number: '090-8000-0001', reason: 'opt-out', source: keyword });
  await gateway.suppressions.lift('demo', { number: '09080000001', source: { kind: 'keyword', detail: '配信再開' } });
  await expect(gateway.messages.submit('demo', { to: '09080000002', text: 'x' })).resolves.toMatchObject({ status: 'queued' });

  const records = await harness.read(harness.settings.topics.suppressions, (all) => all.length >= 2);
  expect(records.map((r) => [r.key, r.value.action])).toEqual([
    ['demo:+819080000001', 'suppressed'],
    ['demo:+819080000001', 'lifted'],
  ]);
  for (const record of records) expect({ valid: validate(record.value), errors: validate.errors ?? [] }).toEqual({ valid: true, errors: [] });
  expect(records[0]?.value).toMatchObject({ type: 'suppression.changed', accountId: 'demo', reason: 'opt-out', source: keyword });

  const hooks = await waitFor(() => {
    const mine = harness?.hooks.hooks.filter((h) => h.body.includes('"suppression.changed"')) ?? [];
    return mine.length >= 2 ? mine : undefined;
  }, 'both suppression webhooks');
  for (const hook of hooks) expect(verifyWebhook(SECRET, hook.body, hook.signature, Math.floor(Date.now() / 1000))).toBe(true);
  expect(hooks.map((h) => (JSON.parse(h.body) as { action: string }).action).sort()).toEqual(['lifted', 'suppressed']);
});
