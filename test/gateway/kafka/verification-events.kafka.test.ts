/**
 * Verification steps in Kafka mode: each is a record on the verifications topic (key `<account>:<to>`), valid
 * against its published schema and without the code, and the webhooks group makes each one signed callback. The
 * code is read at the SMSC, as a handset would.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterEach, expect, inject, test } from 'vitest';
import { verifyWebhook } from '../../../gateway/index.ts';
import { KafkaHarness, SECRET, waitFor } from './kafka-harness.ts';

const schema = JSON.parse(readFileSync(new URL('../../../gateway/events/schemas/verification.status.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true });
(formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
const validate = ajv.compile(schema);

let harness: KafkaHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('sent, failed and approved are on the verifications topic in order, schema-valid, each one signed webhook, never the code', async () => {
  harness = new KafkaHarness({ brokers: inject('kafkaBrokers') });
  const gateway = await harness.start();
  const started = await gateway.verifications.start('demo', { to: '090-8100-0001' });
  const sms = await waitFor(() => harness?.simulator.messages({}).find((m) => m.to === '819081000001'), 'the code at the SMSC');
  const code = /([0-9]{6})/.exec(sms.text)?.[1] ?? '';
  await gateway.verifications.check('demo', started.id, String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
  await gateway.verifications.check('demo', started.id, code);

  const records = await harness.read(harness.settings.topics.verifications, (all) => all.length >= 3);
  expect(records.map((r) => [r.key, r.value.status, r.value.verification])).toEqual([
    ['demo:+819081000001', 'sent', 'pending'],
    ['demo:+819081000001', 'failed', 'pending'],
    ['demo:+819081000001', 'approved', 'approved'],
  ]);
  for (const record of records) expect({ valid: validate(record.value), errors: validate.errors ?? [] }).toEqual({ valid: true, errors: [] });
  const hooks = await waitFor(() => {
    const mine = harness?.hooks.hooks.filter((h) => h.body.includes('"verification.status"')) ?? [];
    return mine.length >= 3 ? mine : undefined;
  }, 'the three verification webhooks');
  for (const hook of hooks) expect(verifyWebhook(SECRET, hook.body, hook.signature, Math.floor(Date.now() / 1000))).toBe(true);
  const everything = JSON.stringify(records) + hooks.map((h) => h.body).join('');
  expect(everything).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));
});
