/**
 * The load of the client benchmarks (bench/kafka-client.bench.ts, bench/redis-client.bench.ts), pure and seeded so
 * every client and every run gets exactly the same records, keys and batch sizes.
 */

import { seededRandom } from '../common/index.ts';

export { seededRandom };

/**
 * Batch sizes of 1..`max` records, uniformly drawn, adding up to `total` exactly (the last one is cut to fit):
 * what the durable publisher hands the sink when requests of every size arrive at once.
 */
export function batchSizes(total: number, max: number, seed: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0 || !Number.isSafeInteger(max) || max < 1) throw new RangeError(`batchSizes(${total}, ${max})`);
  const random = seededRandom(seed);
  const sizes: number[] = [];
  let left = total;
  while (left > 0) {
    const size = Math.min(left, 1 + Math.floor(random() * max));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** A message id shaped like the gateway's (a UUID), different for every `index` and `run`. */
export function messageId(run: string, index: number): string {
  const hex = index.toString(16).padStart(12, '0');
  return `${run.padEnd(8, '0').slice(0, 8)}-${hex.slice(0, 4)}-4${hex.slice(4, 7)}-8${hex.slice(7, 10)}-${hex.slice(10)}${'0'.repeat(10)}`;
}

/**
 * A `message.status` event as the gateway writes it to Kafka (about 630 bytes of JSON): one part with its SMSC id and
 * times, a price, a client reference and a callback URL.
 */
export function statusEventJson(id: string, index: number): string {
  const at = new Date(Date.UTC(2026, 0, 1) + index * 1_000).toISOString();
  return JSON.stringify({
    type: 'message.status',
    version: 1,
    id: `${id}:delivered`,
    messageId: id,
    accountId: `acct-${index % 10}`,
    status: 'delivered',
    at,
    to: `+4479${String(index).padStart(8, '0')}`,
    clientRef: `order-${index}`,
    callbackUrl: 'https://hooks.example.com/sms/status?tenant=acme',
    parts: [1].map((seq) => ({
      seq,
      status: 'delivered',
      connector: 'smpp-main',
      smscMessageId: `${(index * 2 + seq).toString(16).padStart(16, '0')}`,
      submittedAt: at,
      doneAt: at,
      carrierDoneAt: at,
    })),
    segments: 1,
    carrier: '234-10',
    price: 0.0123,
    currency: 'EUR',
  });
}

/** A stored message envelope as the Redis store's INSERT writes it (the `e` field, about 400 bytes of JSON). */
export function envelopeJson(id: string, index: number): string {
  return JSON.stringify({
    id,
    accountId: `acct-${index % 10}`,
    from: 'ACME',
    to: `+4479${String(index).padStart(8, '0')}`,
    text: 'Your verification code is 123456. It expires in 10 minutes. Do not share it with anyone.',
    encoding: 'gsm7',
    segments: 1,
    clientRef: `order-${index}`,
    callbackUrl: 'https://hooks.example.com/sms/status?tenant=acme',
    createdAt: Date.UTC(2026, 0, 1) + index,
    validityMs: 86_400_000,
  });
}
