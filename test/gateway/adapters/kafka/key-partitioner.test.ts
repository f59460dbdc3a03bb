import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as platformaticKafka from '@platformatic/kafka';
import { compatibilityPartitioner } from '@platformatic/kafka';
import { beforeEach, expect, test, vi } from 'vitest';
import { rememberingPartitioner } from '../../../../gateway/adapters/kafka/key-partitioner.ts';

const hashes = vi.hoisted(() => ({ count: 0 }));

vi.mock('@platformatic/kafka', async (importOriginal) => {
  const original = await importOriginal<typeof platformaticKafka>();
  return {
    ...original,
    compatibilityPartitioner: (...args: Parameters<typeof original.compatibilityPartitioner>) => {
      hashes.count += 1;
      return original.compatibilityPartitioner(...args);
    },
  };
});

// kafkajs's partitioner, which chose every key's partition before the producer moved to @platformatic/kafka.
type KafkajsPartitioner = () => (args: { topic: string; partitionMetadata: { partitionId: number }[]; message: { key: Buffer } }) => number;
const kafkajsPartitioner = (createRequire(import.meta.url)('kafkajs') as { Partitioners: { DefaultPartitioner: KafkajsPartitioner } }).Partitioners.DefaultPartitioner();
const SIX = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId }));

function record(key: string | undefined): { topic: string; key?: string; value: string } {
  return key === undefined ? { topic: 't', value: '{}' } : { topic: 't', key, value: '{}' };
}

beforeEach(() => {
  hashes.count = 0;
});

test('the same hash as compatibilityPartitioner, and so the partition kafkajs chose, for every key', () => {
  const partitioner = rememberingPartitioner();
  for (let i = 0; i < 500; i++) {
    const key = i % 3 === 0 ? randomUUID() : `smpp-${i}\u0000${(i * 7919).toString(16)}`;
    const hash = partitioner(record(key), Buffer.from(key));
    expect(hash).toBe(compatibilityPartitioner(record(key), Buffer.from(key)));
    expect(hash % 6).toBe(kafkajsPartitioner({ topic: 't', partitionMetadata: SIX, message: { key: Buffer.from(key) } }));
  }
});

test('a key asked again is answered from memory, without hashing it again', () => {
  const partitioner = rememberingPartitioner();
  const keys = Array.from({ length: 100 }, () => randomUUID());
  const first = keys.map((key) => partitioner(record(key), Buffer.from(key)));
  expect(hashes.count).toBe(100);
  // A message's four status events and its part move share its id.
  for (let round = 0; round < 4; round++) expect(keys.map((key) => partitioner(record(key), Buffer.from(key)))).toEqual(first);
  expect(hashes.count).toBe(100);
});

test('bounded: past its capacity the oldest keys are hashed again, with the same answer', () => {
  const partitioner = rememberingPartitioner(100);
  const keys = Array.from({ length: 400 }, () => randomUUID());
  const first = keys.map((key) => partitioner(record(key), Buffer.from(key)));
  hashes.count = 0;
  const oldest = keys[0] ?? '';
  expect(partitioner(record(oldest), Buffer.from(oldest))).toBe(first[0]);
  expect(hashes.count).toBe(1);
});

test('a record without a key goes to compatibilityPartitioner each time (partition 0)', () => {
  const partitioner = rememberingPartitioner();
  expect(partitioner(record(undefined), undefined)).toBe(0);
  expect(partitioner(record(undefined), undefined)).toBe(0);
  expect(hashes.count).toBe(2);
});
