/**
 * The /metrics page passes `promtool check metrics` (Prometheus's own linter; Debian package `prometheus`,
 * installed by scripts/setup-test-env.sh). Skipped where promtool is not installed.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, loadRoutingFile } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
const gateway = new Gateway({ backend: createMemoryBackend(), router: new RouterHandle(loadRoutingFile(undefined)), drivers: [], accounts: [] });
afterAll(() => gateway.stop());

test.skipIf(!promtool)('the /metrics page (process metrics included) is lint-clean for promtool', async () => {
  const app = await buildApp({ gateway });
  // A series in every kind of metric, so labels and histogram buckets are on the page too.
  gateway.metrics.receipts.inc({ connector: 'smsc-a', state: 'delivered', matched: 'true' });
  gateway.metrics.webhooks.inc({ outcome: 'retry' });
  gateway.metrics.acceptToSubmit.observe({ connector: 'smsc-a' }, 0.2);
  gateway.metrics.queueDepth.set({ connector: 'smsc-a', lane: 'normal' }, 3);
  const page = await app.inject({ method: 'GET', url: '/metrics' });
  await app.close();
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('smsgw_nodejs_active_handles');
  const lint = spawnSync('promtool', ['check', 'metrics'], { input: page.body, encoding: 'utf8' });
  expect(`${lint.stdout}${lint.stderr}`).toBe('');
  expect(lint.status).toBe(0);
});
