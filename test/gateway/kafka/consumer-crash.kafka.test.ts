/**
 * A webhook consumer killed mid-stream (SIGKILL, offsets of what it processed not yet committed) is replaced by
 * another; the replacement replays from the last committed offset, and the replayed events add no second job:
 * every callback arrives exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { KafkaHarness, REDIS_URL, SECRET, waitFor } from './kafka-harness.ts';

const WORKER = fileURLToPath(new URL('./webhook-feeder-worker.ts', import.meta.url));

function startWorker(harness: KafkaHarness): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: {
      ...process.env,
      FEEDER_CONFIG: JSON.stringify({ settings: harness.settings, redisUrl: REDIS_URL, prefix: harness.prefix, callbackUrl: harness.hooks.url, secret: SECRET }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'feeder ready') resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`feeder exited with ${String(code)}`)));
  });
}

describe('a webhook consumer killed mid-stream', () => {
  let harness: KafkaHarness | undefined;
  let worker: ChildProcess | undefined;
  afterEach(async () => {
    worker?.kill('SIGKILL');
    await harness?.close();
  });

  test('its replacement resumes from the committed offset and sends no second webhook', { timeout: 120_000 }, async () => {
    harness = new KafkaHarness({ brokers: inject('kafkaBrokers'), roles: ['status', 'webhook-sender', 'usage'] });
    const gateway = await harness.start();
    worker = await startWorker(harness);
    const results = await gateway.messages.submitBatch(
      'demo',
      Array.from({ length: 100 }, (_, i) => ({ to: `+8190${String(20_000_000 + i)}`, text: `Parcel ${i} is out for delivery` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const hooks = harness.hooks.hooks;
    await waitFor(() => (hooks.length >= 60 ? true : undefined), 'the first callbacks', 60_000);
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker?.once('exit', resolve));
    const beforeReplacement = hooks.length;
    expect(beforeReplacement).toBeLessThan(200);

    const replacement = await harness.replica(['webhooks']);
    try {
      await waitFor(() => (hooks.length >= 200 ? true : undefined), 'every callback', 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      await replacement.stop();
    }
    const ids = hooks.map((hook) => hook.eventId);
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
    const statuses = hooks.map((hook) => (JSON.parse(hook.body) as { status: string }).status);
    expect(statuses.filter((s) => s === 'delivered')).toHaveLength(100);
    expect(statuses.filter((s) => s === 'submitted')).toHaveLength(100);
    // The replacement did replay what the killed consumer had processed but not committed.
    const duplicates = (await harness.metrics.webhookJobs.get()).values.find((v) => v.labels.outcome === 'duplicate')?.value ?? 0;
    expect(duplicates).toBeGreaterThan(0);
  });
});
